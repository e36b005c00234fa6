from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "tandem.kpis"
    verbose_name = _("KPIs")

    def ready(self) -> None:
        from tandem.kpis import signals

        signals.connect()
