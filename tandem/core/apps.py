from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tandem.core"
    verbose_name = _("Core")

    def ready(self):
        # app configs load before the models; the lookups are registered once all are ready
        from tandem.core import search

        search.install()
