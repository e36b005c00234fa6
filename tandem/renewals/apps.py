from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenewalsConfig(AppConfig):
    name = "tandem.renewals"
    verbose_name = _("Renewals")
