"""`tandem import maven DIR | revenue FILE | accounts|contacts|deals FILE`.

Every import is all-or-nothing, recorded as an ImportRun, and can be tried with --dry-run.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.commands import TandemCommand
from tandem.imports.generic import import_table, parse_mapping
from tandem.imports.maven import import_maven
from tandem.imports.models import ImportStatus
from tandem.imports.retail import import_revenue
from tandem.users.models import User
from tandem.users.selectors import default_acting_user

HELP = gettext_lazy("Import data: the Maven CRM sample, invoice lines, or accounts/contacts/deals.")
FROM_A_FILE = {
    "accounts": gettext_lazy("accounts from a CSV or Excel file"),
    "contacts": gettext_lazy("contacts from a CSV or Excel file"),
    "deals": gettext_lazy("deals from a CSV or Excel file"),
}


def _user(username: str | None, what: str) -> User | None:
    if not username:
        return None
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(
            _("No user named “{name}” ({what}).").format(name=username, what=what)
        ) from None


class Command(TandemCommand):
    help = HELP

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="source", required=True)

        def common(p):
            p.add_argument(
                "--dry-run",
                action="store_true",
                help=gettext_lazy("check and count, write nothing"),
            )
            p.add_argument(
                "--user", help=gettext_lazy("who imports (default: the first active admin)")
            )
            p.add_argument(
                "--no-progress", action="store_true", help=gettext_lazy("no progress bar")
            )
            p.add_argument(
                "--json", action="store_true", help=gettext_lazy("print the report as JSON")
            )

        maven = sub.add_parser(
            "maven", help=gettext_lazy("the Maven Analytics CRM sample (a folder)")
        )
        maven.add_argument("path", metavar="DIR")
        common(maven)

        revenue = sub.add_parser("revenue", help=gettext_lazy("invoice lines (CSV or CSV.gz)"))
        revenue.add_argument("path", metavar="FILE")
        revenue.add_argument("--owner", help=gettext_lazy("owner of new customer accounts"))
        revenue.add_argument(
            "--set-aside", help=gettext_lazy("write the lines set aside to this CSV file")
        )
        common(revenue)

        for entity, help_text in FROM_A_FILE.items():
            generic = sub.add_parser(entity, help=help_text)
            generic.add_argument("path", metavar="FILE")
            generic.add_argument(
                "--map",
                action="append",
                default=[],
                metavar="field=Column",
                help=gettext_lazy("which column holds a field (repeatable)"),
            )
            generic.add_argument("--mapping", help=gettext_lazy("a JSON file {field: column}"))
            generic.add_argument(
                "--delimiter", default=",", help=gettext_lazy("CSV delimiter (default ,)")
            )
            generic.add_argument("--encoding", default="utf-8", help=gettext_lazy("CSV encoding"))
            generic.add_argument(
                "--sheet", help=gettext_lazy("Excel sheet name (default: the first)")
            )
            generic.add_argument("--owner", help=gettext_lazy("owner when the file names none"))
            common(generic)

    def handle(self, *args, source, path, **options):
        acting = _user(options.get("user"), "--user") or default_acting_user()
        if acting is None:
            raise CommandError(
                _("There is no active admin to run the import as; create one or pass --user.")
            )
        progress = not options["no_progress"] and sys.stderr.isatty()
        common = {"acting_user": acting, "dry_run": options["dry_run"]}
        if source == "maven":
            result = import_maven(Path(path), progress=progress, **common)
        elif source == "revenue":
            result = import_revenue(
                Path(path),
                owner=_user(options.get("owner"), "--owner"),
                set_aside=Path(options["set_aside"]) if options.get("set_aside") else None,
                progress=progress,
                **common,
            )
        else:
            try:
                mapping = parse_mapping(options["map"], options.get("mapping"))
            except ValueError as error:
                raise CommandError(str(error)) from None
            result = import_table(
                source,
                Path(path),
                mapping=mapping,
                delimiter=options["delimiter"].replace("\\t", "\t"),
                encoding=options["encoding"],
                sheet=options.get("sheet"),
                owner=_user(options.get("owner"), "--owner"),
                **common,
            )
        if options["json"]:
            self.stdout.write(json.dumps(result.report.as_json(), indent=2, ensure_ascii=False))
        else:
            for line in result.report.lines():
                self.stdout.write(line)
            for key, value in result.report.stats.items():
                self.stdout.write(f"{key}: {value}")
        if result.status == ImportStatus.REJECTED:
            raise CommandError(_("Rejected: nothing was imported."))
        self.stdout.write(self.style.SUCCESS(str(ImportStatus(result.status).label)))
