from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeyaccountsConfig(AppConfig):
    name = "tandem.keyaccounts"
    verbose_name = _("Key accounts")
