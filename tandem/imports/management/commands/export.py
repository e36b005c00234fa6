"""`tandem export ENTITY --format csv|xlsx|json [--user USERNAME] [--filter NAME=VALUE …]
[--output FILE]`.

A command is not a page request: it writes the whole list however long, and no job is needed.
When it fails it says so and ends with a non-zero status; with --output the file is written
under a temporary name beside it and renamed only once whole, so a failed export never leaves
a file that looks complete (on standard output, what was written stays written).
"""

import os
import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.commands import TandemCommand
from tandem.core.exports import EXPORT_ENTITIES, FORMATS, ExportError, write_export
from tandem.imports.exports import rows_to_export
from tandem.users.commands import user_named

HELP = gettext_lazy(
    "Export a list as CSV, Excel or JSON. With --user, only the rows that user may see; "
    "without it, every row (an operator on the server). --filter narrows it as the list's "
    "filters do on the web and in the API."
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
        parser.add_argument(
            "--filter",
            action="append",
            metavar="NAME=VALUE",
            help=gettext_lazy(
                "filter as the list does on the web and in the API, e.g. --filter stage=won"
            ),
        )

    def handle(self, *args, entity, fmt, user=None, output=None, **options):
        acting = user_named(user) if user else None
        try:
            queryset = rows_to_export(entity, acting, options.get("filter"))
        except ExportError as error:
            raise CommandError(str(error)) from None
        if output:
            self.write_file(entity, queryset, fmt, output)
            return
        if fmt == "xlsx" and sys.stdout.isatty():
            raise CommandError(_("An Excel file cannot be shown on a terminal; use --output FILE."))
        if fmt == "xlsx":
            write_export(entity, queryset, fmt, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            write_export(entity, queryset, fmt, self.stdout._out)

    def write_file(self, entity: str, queryset, fmt: str, output: str) -> None:
        partial = f"{output}.{os.getpid()}.partial"
        try:
            with open(partial, "xb") as stream:
                write_export(entity, queryset, fmt, stream)
            os.replace(partial, output)
        except Exception as error:
            if os.path.exists(partial):
                os.unlink(partial)
            raise CommandError(
                _("The export failed, {output} was not written: {error}").format(
                    output=output, error=error
                )
            ) from error
