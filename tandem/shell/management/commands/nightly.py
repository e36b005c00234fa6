"""`tandem nightly`: the day's work done now, in this process: the forecasts of the company and
every team (months and quarters), the key-account rules and every KAM's figures. The workers do
the same every day on their own (tandem/shell/jobs.py); this is for a first day, or by hand."""

import time

from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.commands import TandemCommand

HELP = gettext_lazy(
    "Do the day's work now: every team's and the company's forecast, the key-account rules "
    "and every KAM's figures (the workers do it every day on their own)."
)


class Command(TandemCommand):
    help = HELP

    def handle(self, *args, **options):
        started = time.perf_counter()
        call_command("forecast", "precompute", stdout=self.stdout, stderr=self.stderr)
        call_command("keyaccounts", "refresh", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(
            _("The day's work for {day} done in {seconds:.1f} s.").format(
                day=timezone.localdate(), seconds=time.perf_counter() - started
            )
        )
