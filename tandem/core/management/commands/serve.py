"""`tandem serve`: Tandem behind gunicorn, a production-grade WSGI server."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from gunicorn.app.base import BaseApplication


class TandemServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from tandem.wsgi import application

        return application


class Command(BaseCommand):
    help = _("Serve Tandem with gunicorn (static files included).")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument(
            "--no-collectstatic", action="store_true", help=_("Skip collecting static files.")
        )

    def handle(self, *args, host, port, workers, no_collectstatic, **options):
        call_command("migrate", verbosity=0)
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(
            _("Tandem is running at http://{host}:{port}/ (stop with Ctrl+C)").format(
                host=host, port=port
            )
        )
        self.stdout.flush()
        TandemServer(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "accesslog": "-" if settings.DEBUG else None,
                "timeout": 120,
            }
        ).run()
