"""`tandem worker`: a worker that takes jobs from the queue (Celery), with the schedule
(Celery beat) beside it unless `--no-schedule`. Start as many as the work needs, on as many
machines: a scheduled job starts once per due time however many schedules run."""

import os
import socket

from django.conf import settings
from django.utils.translation import gettext_lazy

from tandem.core.commands import TandemCommand
from tandem.jobs.queue import app, beat_schedule

HELP = gettext_lazy("Run a worker that does the background jobs (and their schedule).")


class Command(TandemCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument(
            "--concurrency",
            type=int,
            default=2,
            help=gettext_lazy("How many jobs this worker does at once (processes)."),
        )
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help=gettext_lazy("Do not start scheduled jobs from this worker."),
        )
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args, concurrency: int, no_schedule: bool, loglevel: str, **options):
        app.conf.beat_schedule = {} if no_schedule else beat_schedule()
        argv = [
            "worker",
            f"--concurrency={concurrency}",
            f"--loglevel={loglevel}",
            f"--hostname=tandem-{os.getpid()}@{socket.gethostname()}",
            "--without-gossip",
            "--without-mingle",
        ]
        if not no_schedule:
            argv += ["--beat", f"--schedule={settings.DATA_DIR / f'schedule-{os.getpid()}'}"]
        app.worker_main(argv)
