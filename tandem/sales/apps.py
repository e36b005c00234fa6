from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    """The sales wing's pages: the Sales Manager's cockpit and the quotas set there."""

    name = "tandem.sales"
    verbose_name = _("Sales cockpit")
