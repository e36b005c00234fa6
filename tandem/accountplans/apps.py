from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "tandem.accountplans"
    verbose_name = _("Account plans")
