from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "tandem.kpis"
    verbose_name = _("KPIs")

    def ready(self) -> None:
        # the signal handlers import models: connected once the app registry is ready
        from tandem.kpis import signals

        signals.connect()
