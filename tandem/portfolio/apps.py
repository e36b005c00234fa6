from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "tandem.portfolio"
    verbose_name = _("Whitespace")
