"""`tandem export ENTITY --format csv|xlsx|json [--user USERNAME] [--output FILE]`."""

import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.commands import TandemCommand
from tandem.core.exports import EXPORT_ENTITIES, FORMATS, write_export
from tandem.imports.exports import all_rows_queryset, visible_queryset
from tandem.users.commands import user_named

HELP = gettext_lazy(
    "Export a list as CSV, Excel or JSON. With --user, only the rows that user may see; "
    "without it, every row (an operator on the server)."
)


class Command(TandemCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("entity", choices=list(EXPORT_ENTITIES))
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="csv")
        parser.add_argument("--user", help=gettext_lazy("export only what this user may see"))
        parser.add_argument(
            "--output", help=gettext_lazy("file to write (default: standard output)")
        )

    def handle(self, *args, entity, fmt, user=None, output=None, **options):
        if user:
            queryset = visible_queryset(entity, user_named(user))
        else:
            queryset = all_rows_queryset(entity)
        if output:
            mode = "wb" if fmt == "xlsx" else "w"
            kwargs = {} if fmt == "xlsx" else {"encoding": "utf-8", "newline": ""}
            with open(output, mode, **kwargs) as stream:
                write_export(entity, queryset, fmt, stream)
            return
        if fmt == "xlsx" and sys.stdout.isatty():
            raise CommandError(_("An Excel file cannot be shown on a terminal; use --output FILE."))
        if fmt == "xlsx":
            write_export(entity, queryset, fmt, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            write_export(entity, queryset, fmt, self.stdout._out)
