from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "tandem.kpis"
    verbose_name = _("KPIs")

    def ready(self) -> None:
        # the keepers import models: registered once the app registry is ready
        from tandem.core import touched
        from tandem.kpis import rollup, sales

        touched.register("kpis.rollups", rollup.keep, follows=rollup.FOLLOWS)
        touched.register("kpis.quota-sums", sales.forget, follows=["quotas", "teams"])
