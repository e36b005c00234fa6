"""`tandem nightly`: the day's work done ahead of the first page view, so that nobody waits for
it: the forecasts of the company and every team (months and quarters), the key-account rules
and every KAM's figures. `--every-day 02:30` keeps running and does it now and then each day
at that time; `tandem serve` starts it that way beside the web server."""

import argparse
import datetime
import os
import time

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.commands import TandemCommand

HELP = gettext_lazy(
    "Do the day's work ahead of the first page view: every team's and the company's forecast, "
    "the key-account rules and every KAM's figures."
)


def time_of_day(text: str) -> datetime.time:
    """An argparse type: a time of day written HH:MM."""
    try:
        return datetime.time.fromisoformat(text)
    except ValueError:
        raise CommandError(_("Not a time of day (HH:MM): {text}").format(text=text)) from None


def seconds_until(at: datetime.time, now: datetime.datetime) -> float:
    """Seconds from `now` (aware, local) to the next `at` o'clock, local time."""
    today = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    following = today if today > now else today + datetime.timedelta(days=1)
    return (following - now).total_seconds()


class Command(TandemCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument(
            "--every-day",
            type=time_of_day,
            metavar="HH:MM",
            help=_("keep running: do the work now, then every day at this local time"),
        )
        # `tandem serve` passes its own process id: the work stops when the server is gone
        parser.add_argument("--parent", type=int, help=argparse.SUPPRESS)

    def handle(self, *args, every_day: datetime.time | None = None, parent=None, **options):
        self.work()
        while every_day is not None:
            due = time.monotonic() + seconds_until(every_day, timezone.localtime())
            while time.monotonic() < due:
                if parent is not None and os.getppid() != parent:
                    return
                time.sleep(min(30.0, max(0.0, due - time.monotonic())))
            self.work()

    def work(self) -> None:
        started = time.perf_counter()
        call_command("forecast", "precompute", stdout=self.stdout, stderr=self.stderr)
        call_command("keyaccounts", "refresh", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(
            _("The day's work for {day} done in {seconds:.1f} s.").format(
                day=timezone.localdate(), seconds=time.perf_counter() - started
            )
        )
        self.stdout.flush()
