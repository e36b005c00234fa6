"""`tandem kpis_rollup [--rebuild]`: bring the KPI rollups up to date (stale owners only), or
rebuild them from scratch (see tandem/kpis/rollup.py; the job kpis.refresh does the former)."""

import time

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.commands import TandemCommand
from tandem.kpis import rollup
from tandem.kpis.models import DealMonth, VisitDay, VisitMonth

HELP = gettext_lazy("Refresh the KPI rollups, or rebuild them (--rebuild).")


class Command(TandemCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help=gettext_lazy("from scratch"))

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["rebuild"]:
            rollup.rebuild()
        else:
            rollup.refresh()
        rows = DealMonth.objects.count() + VisitMonth.objects.count() + VisitDay.objects.count()
        self.stdout.write(
            _("KPI rollups up to date in {seconds:.1f} s ({rows} rows).").format(
                seconds=time.perf_counter() - started, rows=f"{rows:,}"
            )
        )
