"""The KPI rollups brought up to date by a worker, never by a page (tandem/kpis/rollup.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tandem.jobs.registry import Every, job
from tandem.kpis import rollup


@job("kpis.refresh", _("KPI rollups brought up to date"), schedule=Every(minutes=1), timeout=1800)
def refresh(progress) -> dict:
    """Asked for by every write that marks owners stale (once while one waits); every minute
    as well, for rows written in bulk past the services (found by their ids)."""
    progress.step(gettext_noop("Bringing the KPI rollups up to date"))
    return {"refreshed": rollup.refresh()}
