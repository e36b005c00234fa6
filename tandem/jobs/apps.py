from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Background jobs: work that must not hold up a page, run by workers (Celery)."""

    name = "tandem.jobs"
    verbose_name = _("Jobs")

    def ready(self) -> None:
        from tandem.jobs import queue  # noqa: F401 (Celery's app, before anything enqueues)

        # each app declares its jobs in its own `jobs.py` (like the admin's `admin.py`)
        autodiscover_modules("jobs")
