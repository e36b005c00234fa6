"""Forecast reads for a user: the same engine, started from the deals the user may see."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from tandem.forecast.engine import Forecaster, Period, backtest, period_containing
from tandem.forecast.models import ForecastCategory
from tandem.pipeline.models import Deal, StageOutcome
from tandem.pipeline.selectors import visible_deals
from tandem.users.models import Role, Team, User
from tandem.users.selectors import visible_teams

BACKTEST_PERIODS = {"month": 12, "quarter": 8}


def may_see_forecast(user: User) -> bool:
    return user.is_authenticated and (
        user.sees_everything or user.role in {Role.SALES_MANAGER, Role.HEAD_OF_SALES}
    )


def forecast_teams(user: User) -> QuerySet[Team]:
    teams = visible_teams(user)
    if not user.sees_everything:
        teams = teams.filter(manager=user)
    return teams.order_by("name")


def scoped_deals(user: User, team: Team | None = None) -> QuerySet[Deal]:
    deals = visible_deals(user)
    return deals.filter(owner__team=team) if team is not None else deals


def category_totals(deals: QuerySet[Deal], period: Period) -> list[dict]:
    """Open deals expected to close in the period, per forecast category: as the owners set
    them, and after the managers' adjustments. A deal nobody categorised counts as pipeline."""
    expected = deals.filter(
        stage__outcome=StageOutcome.OPEN,
        expected_close_on__gte=period.start,
        expected_close_on__lt=period.end,
    )
    rep = Coalesce(F("forecast__rep_category"), Value(ForecastCategory.PIPELINE.value))
    adjusted = Coalesce(NullIf(F("forecast__manager_category"), Value("")), rep)
    totals = {
        key: {
            row["category"]: row
            for row in expected.values(category=expression).annotate(
                deals=Count("id"), value=Sum("value")
            )
        }
        for key, expression in (("rep", rep), ("adjusted", adjusted))
    }
    rows = []
    for category in ForecastCategory:
        rep_row = totals["rep"].get(category.value, {})
        adjusted_row = totals["adjusted"].get(category.value, {})
        rows.append(
            {
                "category": category.value,
                "label": category.label,
                "rep_deals": rep_row.get("deals", 0),
                "rep_value": float(rep_row.get("value") or 0),
                "adjusted_deals": adjusted_row.get("deals", 0),
                "adjusted_value": float(adjusted_row.get("value") or 0),
            }
        )
    return rows


def scope_summary(
    deals: QuerySet[Deal], kind: str, as_of: datetime.date, with_backtest: bool
) -> dict:
    """Forecast for the period holding `as_of` and the next one, and optionally the backtest
    of the periods that ended before it."""
    forecaster = Forecaster(deals, kind)
    current = period_containing(as_of, kind)
    summary = {
        "current": forecaster.forecast(current, as_of),
        "next": forecaster.forecast(current.shift(1), as_of),
        "categories": category_totals(deals, current),
    }
    if with_backtest:
        last = Forecaster.last_complete(current, as_of)
        first = last.shift(1 - BACKTEST_PERIODS[kind])
        summary["backtest"] = backtest(deals, first, last, forecaster)
    return summary


def forecast_overview(user: User, kind: str = "month", as_of: datetime.date | None = None) -> dict:
    as_of = as_of or timezone.localdate()
    overview = {
        "kind": kind,
        "as_of": as_of,
        "period": period_containing(as_of, kind),
        "scope": scope_summary(scoped_deals(user), kind, as_of, with_backtest=True),
        "teams": [],
    }
    for team in forecast_teams(user):
        overview["teams"].append(
            {"team": team, **scope_summary(scoped_deals(user, team), kind, as_of, False)}
        )
    return overview


__all__ = ["Period", "forecast_overview", "may_see_forecast", "scoped_deals"]
