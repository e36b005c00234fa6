"""`tandem forecast backtest [--from 2017-04 --to 2017-12] [--period month|quarter]
[--team T] [--format json|table]`: replay history and compare Tandem's forecast with what
happened (method: docs/forecast.md). `tandem forecast precompute [--period month]`: learn
today's forecasts of the company and every team ahead of the first page view (nightly)."""

import json
import time

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.commands import TandemCommand
from tandem.forecast.engine import PERIOD_KINDS, Forecaster, backtest, parse_period
from tandem.forecast.selectors import BACKTEST_PERIODS
from tandem.forecast.services import learn_every_scope
from tandem.pipeline.models import Deal
from tandem.users.models import Team

HELP = gettext_lazy("Forecasts of won value: the backtest over past periods.")


def team_named(text: str) -> Team:
    """The team --team names by its name or, unlike the other commands, also by its id."""
    team = Team.objects.filter(name=text).first()
    if team is None and text.isdigit():
        team = Team.objects.filter(pk=int(text)).first()
    if team is None:
        raise CommandError(_("No team named “{name}”.").format(name=text))
    return team


class Command(TandemCommand):
    help = HELP

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser(
            "backtest", help=gettext_lazy("forecast each past period from its start")
        )
        run.add_argument(
            "--from", dest="first", help=gettext_lazy("first period, e.g. 2017-04 or 2017Q2")
        )
        run.add_argument(
            "--to", dest="last", help=gettext_lazy("last period (default: the last complete)")
        )
        run.add_argument("--period", choices=PERIOD_KINDS, default="month")
        run.add_argument("--team", help=gettext_lazy("only this team's deals (name or id)"))
        run.add_argument("--format", choices=["json", "table"], default="table")
        keep = sub.add_parser(
            "precompute",
            help=gettext_lazy("learn today's forecast of the company and every team ahead"),
        )
        keep.add_argument("--period", choices=PERIOD_KINDS, action="append")

    def handle(self, *args, **options):
        if options["action"] == "precompute":
            for kind in options["period"] or PERIOD_KINDS:
                started = time.perf_counter()
                count = learn_every_scope(kind)
                self.stdout.write(
                    _("{count} {kind} forecasts kept in {seconds:.1f} s.").format(
                        count=count, kind=kind, seconds=time.perf_counter() - started
                    )
                )
            return
        kind = options["period"]
        deals = Deal.objects.all()
        if options["team"]:
            deals = deals.filter(owner__team=team_named(options["team"]))
        try:
            if options["last"]:
                last = parse_period(options["last"], kind)
            else:
                today = timezone.localdate()
                last = Forecaster.last_complete(parse_period(today.isoformat()[:7], kind), today)
            first = (
                parse_period(options["first"], kind)
                if options["first"]
                else last.shift(1 - BACKTEST_PERIODS[kind])
            )
        except (ValueError, TypeError):
            raise CommandError(
                _("A period is written 2017-04 (a month) or 2017Q2 (a quarter).")
            ) from None
        if first.start > last.start:
            raise CommandError(_("The first period comes after the last one."))
        report = backtest(deals, first, last)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, indent=2))
            return
        self.stdout.write(self.table(report))

    def table(self, report: dict) -> str:
        head = [
            _("Period"),
            _("Actual"),
            _("Forecast"),
            _("Low"),
            _("High"),
            _("Weighted pipeline"),
        ]
        keys = ["period", "actual", "forecast", "low", "high", "weighted_pipeline"]
        rows = [
            [row["period"]] + [f"{row[key]:,.0f}" for key in keys[1:]] for row in report["periods"]
        ]
        widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
        lines = [
            "  ".join(str(cell).rjust(width) for cell, width in zip(line, widths, strict=True))
            for line in [head, *rows]
        ]

        def pct(value):
            return "–" if value is None else f"{value * 100:.1f} %"

        lines.append("")
        lines.append(
            _("Mean absolute percentage error, Tandem: {value}").format(
                value=pct(report["mape_forecast"])
            )
        )
        lines.append(
            _("Mean absolute percentage error, weighted pipeline: {value}").format(
                value=pct(report["mape_weighted_pipeline"])
            )
        )
        lines.append(
            _("Mean absolute percentage error, last period's actual: {value}").format(
                value=pct(report["mape_last_period"])
            )
        )
        lines.append(
            _("Actual inside the 80-percent interval: {value}").format(
                value=pct(report["interval_coverage"])
            )
        )
        return "\n".join(lines)
