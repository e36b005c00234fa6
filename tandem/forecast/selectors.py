"""Forecast reads for a user: the same engine, started from the deals the user may see."""

from __future__ import annotations

import datetime
import hashlib
import json
import time
from dataclasses import fields
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, F, Q, QuerySet, Sum, Value
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
from tandem.kpis import rollup
from tandem.kpis.models import DealMonth, Fact
from tandem.pipeline.models import Deal, StageChange, StageOutcome
from tandem.pipeline.selectors import visible_deals
from tandem.users.models import Role, Team, User
from tandem.users.selectors import managed_user_ids, visible_teams

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


def _version(as_of: datetime.date) -> str:
    last = (
        StageChange.objects.filter(changed_at__lt=at_start_of(as_of))
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return str(last or 0)


def _dump(forecast: Forecast) -> dict:
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


def scope_summary(
    deals: QuerySet[Deal],
    kind: str,
    as_of: datetime.date,
    with_backtest: bool,
    key: str | None = None,
    owners: Q | None = None,
    known: _Kept | None = None,
    categories: list[dict] | None = None,
) -> dict:
    """`compute_summary`, kept per scope and day in ForecastSnapshot when the scope has a
    `key` (see `scope_key`), with the forecast categories read live (see `category_totals`
    for `owners`) unless given."""
    current = period_containing(as_of, kind)
    if key is None:
        summary = compute_summary(deals, kind, as_of, with_backtest)
    else:
        summary = _snapshot(deals, kind, as_of, with_backtest, key, known)
    if categories is None:
        categories = category_totals(deals, current, owners)
    summary["categories"] = categories
    return summary


class _Kept:
    """The day's snapshots and version, read once for a page that shows many scopes."""

    def __init__(self, kind: str, as_of: datetime.date, keys: list[str]):
        self.version = _version(as_of)
        self.rows = {
            row.scope: row
            for row in ForecastSnapshot.objects.filter(kind=kind, as_of=as_of, scope__in=keys)
        }

    def right(self, key: str, with_backtest: bool) -> ForecastSnapshot | None:
        """The scope's snapshot if it is there and still right (else None)."""
        kept = self.rows.get(key)
        if kept is None or kept.version != self.version:
            return None
        return None if with_backtest and "backtest" not in kept.summary else kept


def _kept_summary(key: str, with_backtest: bool, known: _Kept) -> dict | None:
    """The scope's summary kept for the day, if it is there and still right."""
    kept = known.right(key, with_backtest)
    if kept is None:
        return None
    summary = {name: _load(kept.summary[name]) for name in ("current", "next")}
    if "backtest" in kept.summary:
        summary["backtest"] = kept.summary["backtest"]
    return summary


def _snapshot(
    deals,
    kind: str,
    as_of: datetime.date,
    with_backtest: bool,
    key: str,
    known: _Kept | None = None,
) -> dict:
    known = known or _Kept(kind, as_of, [key])
    summary = _kept_summary(key, with_backtest, known)
    if summary is not None:
        return summary
    started = time.perf_counter()
    summary = compute_summary(deals, kind, as_of, with_backtest)
    stored = {name: _dump(summary[name]) for name in ("current", "next")}
    if "backtest" in summary:
        stored["backtest"] = summary["backtest"]
    ForecastSnapshot.objects.update_or_create(
        scope=key,
        kind=kind,
        as_of=as_of,
        defaults={
            "version": known.version,
            "summary": json.loads(json.dumps(stored, cls=DjangoJSONEncoder)),
            "seconds": time.perf_counter() - started,
        },
    )
    return summary


def kept_forecast(
    user: User,
    team: Team | None,
    kind: str,
    as_of: datetime.date | None = None,
    learn: bool = True,
) -> dict | None:
    """This period's and the next period's forecast of the user's deals (within `team`), as
    the forecast page shows them (the same kept snapshot). With `learn=False`, None when the
    day's forecast is not kept yet (learning it takes seconds to minutes for a large company,
    once a day unless `tandem nightly` ran)."""
    as_of = as_of or timezone.localdate()
    key = scope_key(user, team)
    if not learn:
        return _kept_summary(key, False, _Kept(kind, as_of, [key]))
    return _snapshot(scoped_deals(user, team), kind, as_of, False, key)


def _owners(user: User, team: Team | None = None) -> Q | None:
    return rollup.owner_filter(user, team) if rollup.covers(user) else None


def forecast_overview(
    user: User,
    kind: str = "month",
    as_of: datetime.date | None = None,
    team_limit: int | None = None,
    learn: bool = True,
) -> dict | None:
    """The forecast of everything the user sees and of each of their teams (the first
    `team_limit` teams by name, when given; `more_teams` says how many were left out). With
    `learn=False`, None unless every one of them is kept for the day."""
    as_of = as_of or timezone.localdate()
    teams = list(forecast_teams(user))
    shown = teams if team_limit is None else teams[:team_limit]
    known = _Kept(kind, as_of, [scope_key(user)] + [scope_key(user, team) for team in shown])
    if not learn and (
        known.right(scope_key(user), True) is None
        or any(known.right(scope_key(user, team), False) is None for team in shown)
    ):
        return None
    overview: dict[str, Any] = {
        "kind": kind,
        "as_of": as_of,
        "period": period_containing(as_of, kind),
        "scope": scope_summary(
            scoped_deals(user),
            kind,
            as_of,
            with_backtest=True,
            key=scope_key(user),
            owners=_owners(user),
            known=known,
        ),
        "teams": [],
        "more_teams": len(teams) - len(shown),
    }
    categories = category_totals_by_team(user, overview["period"], shown)
    for team in shown:
        summary = scope_summary(
            scoped_deals(user, team),
            kind,
            as_of,
            False,
            key=scope_key(user, team),
            known=known,
            categories=categories[team.pk],
        )
        overview["teams"].append({"team": team, **summary})
    return overview


def precompute(kind: str, as_of: datetime.date | None = None) -> int:
    """Every team's and the whole company's forecast for the day (what the Head of Sales and
    each Sales Manager open), so that no page view waits for the model; returns how many."""
    teams = list(Team.objects.order_by("pk").values_list("pk", flat=True))
    for team in [None, *teams]:
        precompute_scope(kind, team, as_of)
    return 1 + len(teams)


def precompute_scope(kind: str, team_id: int | None, as_of: datetime.date | None = None) -> None:
    """The day's forecast of one team as its Sales Manager and the Head of Sales see it, or
    of the whole company (team None): one job each, so that workers learn them side by side."""
    as_of = as_of or timezone.localdate()
    if team_id is None:
        _snapshot(Deal.objects.all(), kind, as_of, True, "all")
        return
    head = User(role=Role.HEAD_OF_SALES)
    team = Team.objects.get(pk=team_id)
    _snapshot(scoped_deals(head, team), kind, as_of, False, scope_key(head, team))


__all__ = ["Period", "forecast_overview", "may_see_forecast", "scoped_deals"]
