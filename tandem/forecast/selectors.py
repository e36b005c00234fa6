"""Forecast reads for a user: the same engine, started from the deals the user may see."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from tandem.forecast.engine import (
    Forecast,
    Forecaster,
    Period,
    at_start_of,
    backtest,
    period_containing,
)
from tandem.forecast.models import ForecastCategory, ForecastSnapshot
from tandem.jobs.models import Job, JobStatus
from tandem.kpis import rollup
from tandem.kpis.models import DealMonth, Fact
from tandem.pipeline.models import Deal, StageChange, StageOutcome
from tandem.pipeline.selectors import visible_deals
from tandem.users.models import Role, Team, User
from tandem.users.selectors import managed_user_ids, visible_teams

BACKTEST_PERIODS = {"month": 12, "quarter": 8}

# the jobs that learn forecasts (jobs.py): the day's work's, and the ones a person asks for
LEARN = "forecast.learn"
LEARN_FOR = "forecast.learn_for"


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


def category_totals(deals: QuerySet[Deal], period: Period, owners: Q | None = None) -> list[dict]:
    """Open deals expected to close in the period, per forecast category: as the owners set
    them, and after the managers' adjustments. A deal nobody categorised counts as pipeline.

    With `owners` (the same deals as rollup rows, see tandem.kpis.rollup) only the categorised
    deals are read; the rest of the pipeline is the rollup's total minus them."""
    return _category_totals(deals, period, owners)[None]


def category_totals_by_team(user: User, period: Period, teams: list[Team]) -> dict[int, list[dict]]:
    """`category_totals` of each of the teams (of what the user sees), per team id: the same
    three queries for any number of teams, not three per team."""
    ids = [team.pk for team in teams]
    owners = _owners(user)
    if owners is not None:
        owners &= Q(owner__team_id__in=ids)
    deals = scoped_deals(user).filter(owner__team_id__in=ids)
    return _category_totals(deals, period, owners, by="owner__team_id", keys=ids)


def _category_totals(
    deals: QuerySet[Deal],
    period: Period,
    owners: Q | None,
    by: str | None = None,
    keys: list | None = None,
) -> dict:
    """`category_totals` per value of the deals' field `by` (one list under None without)."""
    if by is None:
        keys = [None]
    assert keys is not None  # the values of `by` to report on
    group = [by] if by else []
    expected = deals.filter(
        stage__outcome=StageOutcome.OPEN,
        expected_close_on__gte=period.start,
        expected_close_on__lt=period.end,
    ).order_by()
    if owners is not None:
        closing_rows = DealMonth.objects.filter(
            owners, fact=Fact.CLOSING, month__gte=period.start, month__lt=period.end
        ).order_by()
        sums = {"deals": Sum("deals", default=0), "value": Sum("value", default=Decimal(0))}
        if by is None:
            closing = {None: closing_rows.aggregate(**sums)}
        else:
            closing = {row.pop(by): row for row in closing_rows.values(by).annotate(**sums)}
        expected = expected.filter(forecast__isnull=False)
    rep = Coalesce(F("forecast__rep_category"), Value(ForecastCategory.PIPELINE.value))
    adjusted = Coalesce(NullIf(F("forecast__manager_category"), Value("")), rep)
    # per key, "rep" or "adjusted", category: that row's deals and value
    totals: dict[Any, dict[str, dict[str, Any]]] = {
        key: {"rep": {}, "adjusted": {}} for key in keys
    }
    for kind, expression in (("rep", rep), ("adjusted", adjusted)):
        rows = expected.values(*group, category=expression).annotate(
            deals=Count("id"), value=Sum("value")
        )
        for row in rows:
            totals[row[by] if by else None][kind][row["category"]] = row
    if owners is not None:
        for key in keys:
            whole = closing.get(key, {"deals": 0, "value": Decimal(0)})
            for kind in ("rep", "adjusted"):
                categorised = totals[key][kind]
                rest_deals = whole["deals"] - sum(row["deals"] for row in categorised.values())
                rest_value = whole["value"] - sum(
                    (row["value"] or 0 for row in categorised.values()), Decimal(0)
                )
                row = categorised.setdefault(
                    ForecastCategory.PIPELINE.value, {"deals": 0, "value": Decimal(0)}
                )
                row["deals"] += rest_deals
                row["value"] = (row["value"] or Decimal(0)) + rest_value
    return {key: _category_rows(totals[key]) for key in keys}


def _category_rows(totals: dict) -> list[dict]:
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


def compute_summary(
    deals: QuerySet[Deal], kind: str, as_of: datetime.date, with_backtest: bool
) -> dict:
    """Forecast for the period holding `as_of` and the next one, and optionally the backtest
    of the periods that ended before it (the forecast categories are added by the caller)."""
    forecaster = Forecaster(deals, kind)
    current = period_containing(as_of, kind)
    summary: dict[str, Forecast | dict] = {
        "current": forecaster.forecast(current, as_of),
        "next": forecaster.forecast(current.shift(1), as_of),
    }
    if with_backtest:
        last = Forecaster.last_complete(current, as_of)
        first = last.shift(1 - BACKTEST_PERIODS[kind])
        summary["backtest"] = backtest(deals, first, last, forecaster)
    return summary


def scope_key(user: User, team: Team | None = None) -> str:
    """Names the set of deals `scoped_deals(user, team)` reads, the same for every user who
    reads the same set (a team's deals are a team's deals for its manager and the head)."""
    if team is not None and (user.sees_everything or team.manager_id == user.pk):
        return f"team:{team.pk}"
    if user.sees_everything:
        return "all"
    ids = ",".join(str(pk) for pk in sorted(managed_user_ids(user)))
    team_part = f"team:{team.pk}:" if team is not None else ""
    return f"{team_part}owners:{hashlib.sha1(ids.encode()).hexdigest()}"  # noqa: S324


def history_version(as_of: datetime.date) -> str:
    last = (
        StageChange.objects.filter(changed_at__lt=at_start_of(as_of))
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return str(last or 0)


def dumped(forecast: Forecast) -> dict:
    data = {}
    for item in fields(Forecast):
        value = getattr(forecast, item.name)
        if isinstance(value, Period):
            value = {"kind": value.kind, "start": value.start.isoformat()}
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        data[item.name] = value
    return data


def _load(data: dict) -> Forecast:
    values = dict(data)
    values["period"] = period_containing(
        datetime.date.fromisoformat(data["period"]["start"]), data["period"]["kind"]
    )
    values["as_of"] = datetime.date.fromisoformat(data["as_of"])
    values["closed"] = Decimal(data["closed"])
    return Forecast(**values)


@dataclass
class Kept:
    """A scope's forecast as kept (`ForecastSnapshot`): the day it is as of, when it was
    learned, and whether it is the day asked for and still right (`up_to_date`); else it is
    the most recent one before it, shown until the day's is learned."""

    current: Forecast
    next: Forecast
    backtest: dict | None
    as_of: datetime.date
    learned_at: datetime.datetime
    up_to_date: bool


class KeptSnapshots:
    """The scopes' latest snapshots up to a day, and the day's version, read once for a page
    that shows many scopes (never computed here: learning is the jobs' work, see jobs.py)."""

    def __init__(self, kind: str, as_of: datetime.date, keys: list[str]):
        self.as_of = as_of
        self.version = history_version(as_of)
        # each scope's latest snapshot up to the day, in one query (the unique index's order)
        latest = (
            ForecastSnapshot.objects.filter(kind=kind, scope=OuterRef("scope"), as_of__lte=as_of)
            .order_by("-as_of")
            .values("as_of")[:1]
        )
        self.rows = {
            row.scope: row
            for row in ForecastSnapshot.objects.filter(
                kind=kind, scope__in=keys, as_of=Subquery(latest)
            )
        }

    def right(self, key: str, with_backtest: bool) -> ForecastSnapshot | None:
        """The scope's snapshot of the day if it is there and still right (else None)."""
        kept = self.rows.get(key)
        if kept is None or kept.as_of != self.as_of or kept.version != self.version:
            return None
        return None if with_backtest and "backtest" not in kept.summary else kept

    def shown(self, key: str, with_backtest: bool) -> Kept | None:
        """What a page shows of the scope: the day's snapshot, else the latest before it."""
        row = self.rows.get(key)
        if row is None or (with_backtest and "backtest" not in row.summary):
            return None
        return Kept(
            current=_load(row.summary["current"]),
            next=_load(row.summary["next"]),
            backtest=row.summary.get("backtest"),
            as_of=row.as_of,
            learned_at=row.computed_at,
            up_to_date=self.right(key, with_backtest) is not None,
        )


def kept_forecast(
    user: User, team: Team | None, kind: str, as_of: datetime.date | None = None
) -> Kept | None:
    """This period's and the next period's forecast of the user's deals (within `team`), as
    the forecast page shows them (the same kept snapshot): the day's, else the latest one
    before it, else None. Never learned here (that takes seconds to minutes for a large
    company): the day's work learns the company's and every team's, `services.ask_to_learn`
    any other."""
    as_of = as_of or timezone.localdate()
    key = scope_key(user, team)
    return KeptSnapshots(kind, as_of, [key]).shown(key, False)


def _owners(user: User, team: Team | None = None) -> Q | None:
    return rollup.owner_filter(user, team) if rollup.covers(user) else None


def forecast_overview(
    user: User,
    kind: str = "month",
    as_of: datetime.date | None = None,
    team_limit: int | None = None,
) -> dict:
    """The kept forecast of everything the user sees (`scope`, None when none is kept) and of
    each of their teams (the first `team_limit` teams by name, when given; `more_teams` says
    how many were left out; a team's `kept` is None when none is kept), with the forecast
    categories read live. `up_to_date`: every one of them is the day's own and still right."""
    as_of = as_of or timezone.localdate()
    teams = list(forecast_teams(user))
    shown = teams if team_limit is None else teams[:team_limit]
    key = scope_key(user)
    known = KeptSnapshots(kind, as_of, [key] + [scope_key(user, team) for team in shown])
    period = period_containing(as_of, kind)
    kept = known.shown(key, True)
    overview: dict[str, Any] = {
        "kind": kind,
        "as_of": as_of,
        "period": period,
        "scope": {
            "kept": kept,
            "categories": category_totals(scoped_deals(user), period, _owners(user)),
        },
        "teams": [],
        "more_teams": len(teams) - len(shown),
    }
    categories = category_totals_by_team(user, period, shown)
    for team in shown:
        overview["teams"].append(
            {
                "team": team,
                "kept": known.shown(scope_key(user, team), False),
                "categories": categories[team.pk],
            }
        )
    every = [overview["scope"]["kept"]] + [item["kept"] for item in overview["teams"]]
    overview["up_to_date"] = all(item is not None and item.up_to_date for item in every)
    return overview


def learning(user: User, kind: str, as_of: datetime.date) -> Job | None:
    """The unfinished job that learns the day's forecasts the user looks at: one they asked
    for, else one of the day's work (the company's and the teams'), for a page to follow."""
    unfinished = Job.objects.filter(
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
        params__kind=kind,
        params__day=as_of.isoformat(),
    ).order_by("queued_at")
    asked = unfinished.filter(kind=LEARN_FOR, requested_by=user).first()
    return asked or unfinished.filter(kind=LEARN).first()


__all__ = ["Kept", "Period", "forecast_overview", "may_see_forecast", "scoped_deals"]
