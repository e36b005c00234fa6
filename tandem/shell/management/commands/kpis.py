"""`tandem kpis --role sales [--team T] [--period P] [--user U] --format json|table` and
`tandem kpis --role kam [--kam NAME] [--period P] [--user U] --format json|table`."""

import json

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.commands import TandemCommand
from tandem.core.errors import DomainError
from tandem.core.periods import Period, PeriodKind
from tandem.forecast.services import learn_for
from tandem.kam import figures
from tandem.kam.report import kam_report_json
from tandem.kpis import rollup
from tandem.kpis.report import plain
from tandem.kpis.sales import KpiScope
from tandem.sales.cockpit import forecast_kind, leads_teams, sales_cockpit
from tandem.sales.report import sales_report_json
from tandem.users.commands import team_named, viewer
from tandem.users.selectors import kam_named

HELP = gettext_lazy(
    "Print the sales KPIs for a period: company, teams and reps, as JSON or a table."
)

TABLE_COLUMNS = [
    "won_value",
    "deals_won",
    "win_rate",
    "new_customers",
    "avg_deal_size",
    "sales_cycle_days",
    "pipeline_created",
    "quota",
    "attainment",
    "pipeline_coverage",
]


class Command(TandemCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument(
            "--role", choices=["sales", "kam"], default="sales", help=gettext_lazy("whose KPIs")
        )
        parser.add_argument(
            "--kam", help=gettext_lazy("--role kam: only this Key Account Manager (username)")
        )
        parser.add_argument("--team", help=gettext_lazy("only this team (its name)"))
        parser.add_argument(
            "--period", help=gettext_lazy("2017Q3, 2017-05 or 2017 (default: the current quarter)")
        )
        parser.add_argument(
            "--user",
            help=gettext_lazy("whose view: what this user may see (default: the first admin)"),
        )
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, **options):
        # no page: it need not wait for a worker to have brought the rollups up to date
        rollup.refresh()
        user = viewer(options["user"])
        if options["role"] == "kam":
            self.handle_kam(user, options)
            return
        try:
            period = (
                Period.parse(options["period"])
                if options["period"]
                else Period.containing(timezone.localdate())
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        team = team_named(options["team"]) if options["team"] else None
        scope = KpiScope(user, period, team)
        if options["format"] == "json":
            report = sales_report_json(sales_cockpit(scope))
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
            return
        # the table also shows what the cockpit shows beyond the JSON: the forecast against quota
        leads = leads_teams(user)
        if leads:  # no page: it learns today's forecast itself unless it is kept
            learn_for(user, forecast_kind(scope), timezone.localdate(), team.pk if team else None)
        cockpit = sales_cockpit(scope, forecast=leads)
        report = sales_report_json(cockpit)
        self.stdout.write(_("Sales KPIs {period}").format(period=report["period"]))
        rows = [(_("Company"), report["company"])]
        rows += [(_("Team {name}").format(name=t["team"] or "–"), t) for t in report["teams"]]
        rows += [(r["rep"], r) for r in report["reps"]]
        self._table(rows, TABLE_COLUMNS)
        if cockpit.forecast:
            self.stdout.write("")
            self.stdout.write(_("Forecast against quota"))
            ahead = [
                (
                    row.period.code,
                    plain(
                        {
                            "closed": row.closed,
                            "forecast": row.forecast,
                            "low": row.low,
                            "high": row.high,
                            "quota": row.quota,
                            "gap": row.gap,
                            "attainment": row.attainment,
                        }
                    ),
                )
                for row in cockpit.forecast.rows
            ]
            self._table(ahead, FORECAST_COLUMNS)

    def handle_kam(self, user, options):
        """The KAM KPIs (tandem.kam.report, the same JSON as GET /api/kpis/kam)."""
        try:
            period = (
                Period.parse(options["period"])
                if options["period"]
                else Period.containing(timezone.localdate(), PeriodKind.YEAR)
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        kam = None
        if options["kam"]:
            kam = kam_named(options["kam"])
            if kam is None:
                raise CommandError(
                    _("There is no Key Account Manager “{kam}”.").format(kam=options["kam"])
                )
        # no page: it brings the period's figures up to date itself (no worker may have)
        figures.refresh(period.code)
        try:
            report = kam_report_json(user, period, kam)
        except PermissionDenied:
            raise CommandError(
                _("{user} may not see the KAM KPIs.").format(user=user.username)
            ) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            _("KAM KPIs {period} ({start} to {end})").format(
                period=report["period"], start=report["start"], end=report["end"]
            )
        )
        rows = [(_("Company"), report["company"])]
        rows += [(k["kam"], k) for k in report["kams"]]
        self._table(rows, KAM_TABLE_COLUMNS)
        self.stdout.write("")
        self._table([(a["name"][:40], a) for a in report["accounts"]], KAM_ACCOUNT_COLUMNS)

    def _table(self, rows, columns):
        header = ["", *columns]
        body = [[name, *(_cell(row[key]) for key in columns)] for name, row in rows]
        widths = [max(len(str(line[i])) for line in [header, *body]) for i in range(len(header))]
        for line in [header, *body]:
            self.stdout.write(
                "  ".join(
                    str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
                    for i, (cell, w) in enumerate(zip(line, widths, strict=True))
                )
            )


FORECAST_COLUMNS = ["closed", "forecast", "low", "high", "quota", "gap", "attainment"]
KAM_TABLE_COLUMNS = [
    "accounts",
    "revenue",
    "account_growth",
    "customer_lifetime_value",
    "renewal_rate",
    "cross_sell_success",
    "stakeholder_coverage",
    "renewal_risk",
    "top10_share",
    "herfindahl_index",
]
KAM_ACCOUNT_COLUMNS = [
    "kam",
    "revenue",
    "account_growth",
    "customer_lifetime_value",
    "cross_sell_success",
    "stakeholder_coverage",
    "renewal_risk",
    "portfolio_share",
]


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}" if abs(value) >= 10 else f"{value:.3f}"
    return str(value)
