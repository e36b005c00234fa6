from django.apps import AppConfig
from django.core.checks import Tags, register
from django.utils.translation import gettext_lazy as _

from tandem.core import checks


class CoreConfig(AppConfig):
    name = "tandem.core"
    verbose_name = _("Core")

    def ready(self):
        # app configs load before the models; the lookups are registered once all are ready
        from tandem.core import search

        search.install()
        register(checks.secret_key_from_the_environment, Tags.security, deploy=True)
        register(checks.shared_cache_with_a_broker, deploy=True)
