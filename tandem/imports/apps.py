from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "tandem.imports"
    verbose_name = _("Imports and exports")

    def ready(self) -> None:
        # imported once the models are loaded: the job reads them; the web lists (core, below
        # this floor) hand their long exports to it
        from tandem.core.lists import long_exports
        from tandem.imports.jobs import export_later

        long_exports.ask = export_later
