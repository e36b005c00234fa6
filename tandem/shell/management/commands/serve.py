"""`tandem serve`: Tandem behind gunicorn, a production-grade WSGI server."""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import zlib

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from gunicorn.app.base import BaseApplication

from tandem.core.commands import TandemCommand

HELP = gettext_lazy("Serve Tandem with gunicorn (static files included).")


def _ends_with_its_parent() -> None:
    """Linux: the worker is told to stop when the server ends, however the server ends."""
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def one_at_a_time(name: str):
    """PostgreSQL: an advisory lock that only one process of any machine holds at a time."""
    if connection.vendor != "postgresql":
        yield
        return
    key = zlib.crc32(name.encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        try:
            yield
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


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
            "--no-worker",
            "--no-nightly",
            dest="no_worker",
            action="store_true",
            help=gettext_lazy(
                "Do not start a worker beside the web server (when workers run elsewhere: "
                "tandem worker). Without TANDEM_BROKER_URL the server starts one."
            ),
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help=gettext_lazy("Start a worker beside the web server even with a broker."),
        )

    def handle(
        self, *args, host, port, workers, no_collectstatic, no_worker, with_worker, **options
    ):
        with one_at_a_time("tandem serve: migrate"):  # nodes that start together migrate in turn
            call_command("migrate", verbosity=0)
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        # gunicorn forks its workers from this process: a connection left open here would be
        # one socket every worker talks on at once, and their answers would get mixed up
        connections.close_all()
        self.stdout.write(
            _("Tandem is running at http://{host}:{port}/ (stop with Ctrl+C)").format(
                host=host, port=port
            )
        )
        self.stdout.flush()
        worker, server = None, os.getpid()
        if not no_worker and (with_worker or not settings.BROKER_URL):
            # the embedded default: the jobs of this machine's queue, and their schedule
            worker = subprocess.Popen(
                [sys.executable, "-m", "tandem", "worker"], preexec_fn=_ends_with_its_parent
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
            if worker is not None and os.getpid() == server:
                worker.terminate()  # a warm shutdown: it finishes the jobs it is doing
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()  # what it was doing is left running: `tandem jobs retry`
                    worker.wait()
