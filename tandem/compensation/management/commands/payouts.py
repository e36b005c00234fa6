"""`tandem payouts --period P [--user U] [--person NAME] --format json|table`: payouts (and
their statements) of everybody the user may see, or of one person."""

import json

from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.compensation.selectors import (
    default_period,
    statement,
    statement_json,
    visible_payees,
)
from tandem.core.commands import TandemCommand
from tandem.core.errors import DomainError
from tandem.core.periods import Period
from tandem.kpis import rollup
from tandem.users.commands import viewer

HELP = gettext_lazy(
    "Print payouts for a period with the statement behind each, as JSON or a table."
)


class Command(TandemCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument(
            "--period", help=gettext_lazy("2026Q1, 2026-05 or 2026 (default: the current quarter)")
        )
        parser.add_argument(
            "--user",
            help=gettext_lazy("whose view: what this user may see (default: the first admin)"),
        )
        parser.add_argument(
            "--person", help=gettext_lazy("only this person (username or full name)")
        )
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, **options):
        # no page: it need not wait for a worker to have brought the rollups up to date
        rollup.refresh()
        user = viewer(options["user"])
        people = visible_payees(user).order_by("username")
        if options["person"]:
            name = options["person"].strip()
            parts = name.split(" ", 1)
            match = Q(username=name)
            if len(parts) == 2:
                match |= Q(first_name__iexact=parts[0], last_name__iexact=parts[1])
            people = people.filter(match)
            if not people.exists():
                raise CommandError(
                    _("No person “{name}” whose pay {user} may see.").format(name=name, user=user)
                )
        try:
            period = Period.parse(options["period"]) if options["period"] else None
        except DomainError as error:
            raise CommandError(error.message) from None
        results = [statement(person, period or default_period(person)) for person in people]
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    [statement_json(r) for r in results],
                    indent=2,
                    ensure_ascii=False,
                    cls=DjangoJSONEncoder,
                )
            )
            return
        header = [_("Person"), _("Role"), _("Period"), _("Variable at 100 %"), _("Payout"), "%"]
        body = []
        for result in results:
            ratio = result.payout_ratio
            body.append(
                [
                    result.person.username,
                    str(result.person.get_role_display()),
                    result.period.code,
                    f"{result.variable_target:,.2f}" if result.has_plan else _("no plan"),
                    f"{result.payout:,.2f}" if result.has_plan else "–",
                    f"{ratio * 100:.1f}" if ratio is not None else "–",
                ]
            )
        self._table(header, body)
        if options["person"]:
            for result in results:
                for part in result.parts:
                    self.stdout.write("")
                    self.stdout.write(f"{part.plan.name} ({part.start} – {part.end})")
                    for line in part.lines:
                        self.stdout.write(f"  · {line.sentence}")

    def _table(self, header, body):
        widths = [max(len(str(row[i])) for row in [header, *body]) for i in range(len(header))]
        for row in [header, *body]:
            cells = [
                str(cell).ljust(width) if index < 3 else str(cell).rjust(width)
                for index, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            self.stdout.write("  ".join(cells).rstrip())
