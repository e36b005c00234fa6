"""`tandem serve`: Tandem behind gunicorn, a production-grade WSGI server."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from gunicorn.app.base import BaseApplication

from tandem.core.commands import TandemCommand
from tandem.shell.management.commands.nightly import time_of_day

HELP = gettext_lazy("Serve Tandem with gunicorn (static files included).")


class TandemServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # gunicorn loads the application in each worker, after it has forked
        from tandem.wsgi import application

        return application


class Command(TandemCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help=gettext_lazy("Skip collecting static files."),
        )
        parser.add_argument(
            "--nightly-at",
            default="02:30",
            metavar="HH:MM",
            help=gettext_lazy(
                "Do the day's work (tandem nightly) at start and then every day at this local "
                "time (default 02:30)."
            ),
        )
        parser.add_argument(
            "--no-nightly",
            action="store_true",
            help=gettext_lazy("Do not start tandem nightly (when cron or another server runs it)."),
        )

    def handle(
        self, *args, host, port, workers, no_collectstatic, nightly_at, no_nightly, **options
    ):
        time_of_day(nightly_at)  # a wrong time is refused before anything starts
        call_command("migrate", verbosity=0)
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(
            _("Tandem is running at http://{host}:{port}/ (stop with Ctrl+C)").format(
                host=host, port=port
            )
        )
        self.stdout.flush()
        nightly, server = None, os.getpid()
        if not no_nightly:
            # its own process: the day's forecasts take minutes at millions of deals
            nightly = subprocess.Popen(
                [sys.executable, "-m", "tandem", "nightly", "--every-day", nightly_at]
                + ["--parent", str(server)]
            )
        try:
            TandemServer(
                {
                    "bind": f"{host}:{port}",
                    "workers": workers,
                    "accesslog": "-" if settings.DEBUG else None,
                    "timeout": 120,
                }
            ).run()
        finally:
            # gunicorn's workers are forks of this process and leave through here too
            if nightly is not None and os.getpid() == server:
                nightly.terminate()
                nightly.wait(timeout=10)
