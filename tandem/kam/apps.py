from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KamConfig(AppConfig):
    """The key-account wing's top: the KAM's KPIs, their cockpit and report, built on the key
    accounts, renewals and plans below."""

    name = "tandem.kam"
    verbose_name = _("KAM cockpit")

    def ready(self) -> None:
        # the keeper imports models: registered once the app registry is ready
        from tandem.core import touched
        from tandem.kam import figures

        touched.register("kam.figures", figures.keep, follows=figures.FOLLOWS)
