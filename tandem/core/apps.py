from django.apps import AppConfig
from django.core.checks import Tags, register
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from tandem.core import checks


def create_cache_table(using: str, **kwargs) -> None:
    """The database cache (the default without TANDEM_CACHE_URL) keeps its entries in a table
    no migration makes: made after every migrate, so a fresh database has it, and so does one
    that moves from Redis back to the default. A table already there is left as it is."""
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "tandem.core"
    verbose_name = _("Core")

    def ready(self):
        # app configs load before the models; the lookups are registered once all are ready
        from tandem.core import search

        search.install()
        register(checks.secret_key_from_the_environment, Tags.security, deploy=True)

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="core-cache-table")
