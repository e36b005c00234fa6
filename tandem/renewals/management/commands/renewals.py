"""`tandem renewals upcoming|rates`: the renewal list with its risk, and renewal rates per KAM,
as a table or JSON, for everything or for what one user sees (`--user`)."""

import json

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.commands import TandemCommand
from tandem.core.errors import DomainError
from tandem.core.periods import Period, PeriodKind
from tandem.renewals.selectors import (
    notice_date,
    renewal_rates,
    renewal_risks,
    upcoming_renewals,
)
from tandem.users.commands import user_named
from tandem.users.models import User

HELP = gettext_lazy("Renewals: upcoming renewals with their risk, and renewal rates per KAM.")


def everyone() -> User:
    """An unsaved user who sees everything: the command run by sales operations."""
    return User(username="tandem", is_superuser=True)


class Command(TandemCommand):
    help = HELP

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        upcoming = sub.add_parser("upcoming", help=_("contracts up for renewal with their risk"))
        upcoming.add_argument(
            "--within", type=int, default=180, help=_("days ahead (default: 180)")
        )
        rates = sub.add_parser("rates", help=_("renewal rate per KAM for a period"))
        rates.add_argument(
            "--period", help=_("2026Q3, 2026-05 or 2026 (default: the current year)")
        )
        for command in (upcoming, rates):
            command.add_argument("--user", help=_("only what this user sees (username)"))
            command.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, action: str, user: str | None = None, **options):
        viewer = user_named(user) if user else everyone()
        if action == "upcoming":
            self.upcoming(viewer, options["within"], options["format"])
        else:
            self.rates(viewer, options.get("period"), options["format"])

    def upcoming(self, viewer: User, within: int, fmt: str) -> None:
        if within < 0:
            raise CommandError(_("--within must be 0 or more days."))
        today = timezone.localdate()
        risks = renewal_risks(upcoming_renewals(viewer, within, today), today)
        rows = [
            {
                "contract": r.contract.pk,
                "account": r.contract.account.name,
                "owner": str(r.contract.account.owner),
                "end_on": r.contract.end_on.isoformat(),
                "notice_on": notice_date(r.contract).isoformat(),
                "annual_value": str(r.contract.annual_value),
                "score": r.score,
                "level": r.level,
                "signals": r.signals,
            }
            for r in risks
        ]
        if fmt == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(
                f"{row['end_on']}  {row['score']:>3}  {row['level']:<6}  "
                f"{row['annual_value']:>12}  {row['account']} ({row['owner']})"
            )
            for signal in row["signals"]:
                self.stdout.write(f"      - {signal}")

    def rates(self, viewer: User, code: str | None, fmt: str) -> None:
        try:
            period = (
                Period.parse(code)
                if code
                else Period.containing(timezone.localdate(), PeriodKind.YEAR)
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        found = renewal_rates(viewer, period.start, period.end)
        data = {
            "period": period.code,
            "kams": [
                {"kam": row.owner.username, "name": str(row.owner), **row.as_dict()}
                for row in found["rows"]
            ],
            "total": found["total"].as_dict(),
        }
        if fmt == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        header = _("KAM"), _("due"), _("churned"), _("pending"), _("renewal rate")
        self.stdout.write(
            f"{header[0]:<28}{header[1]:>6}{header[2]:>10}{header[3]:>10}{header[4]:>16}"
        )
        lines = [(k["name"], k) for k in data["kams"]] + [(_("total"), data["total"])]
        for name, row in lines:
            rate = "–" if row["renewal_rate"] is None else f"{row['renewal_rate'] * 100:.1f} %"
            self.stdout.write(
                f"{name:<28}{row['due']:>6}{row['churned']:>10}{row['pending']:>10}{rate:>16}"
            )
