"""The Sales Manager's KPIs: each defined once here, formulas in docs/kpis.md.

Every number is an SQL aggregate over `visible_deals(user)` (conditional Sum/Count/Avg), so a
rep gets their own figures, a Sales Manager their team's and the Head of Sales everyone's.
Only ratios of already aggregated numbers (win rate, average deal size, attainment,
coverage) are divided in Python, once per group.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from django.core.signals import request_finished, request_started
from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.functional import Promise

from tandem.catalog.models import Product
from tandem.core.periods import Period
from tandem.core.touched import Touch
from tandem.kpis import rollup
from tandem.kpis.models import CompanyMonth, DealMonth, Fact, FirstWin, TeamMonth, TeamQuota
from tandem.pipeline.models import Channel, Deal, Stage, StageChange, StageOutcome
from tandem.pipeline.selectors import visible_deals
from tandem.quotas.models import Quota, QuotaMetric
from tandem.users.models import Region, Role, Team, User

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=16, decimal_places=2)

# The grains a KPI can be grouped by, and the deal field that names the group.
GRAINS = {
    "company": None,
    "region": "owner__team__region_id",
    "team": "owner__team_id",
    "rep": "owner_id",
    "channel": "channel_id",
    "product": "product_id",
}


@dataclass(kw_only=True)
class SalesKpis:
    """The KPIs of one group of deals for one period, named as in docs/kpis.md: money as
    Decimal, ratios as floats (0.25 = 25 %), None where a figure has nothing to stand on (no
    quota, no closed deal)."""

    won_value: Decimal
    deals_won: int
    deals_lost: int
    win_rate: float | None
    new_customers: int
    avg_deal_size: Decimal | None
    sales_cycle_days: float | None
    pipeline_created: Decimal
    deals_created: int
    open_pipeline: Decimal
    quota: Decimal | None
    attainment: float | None
    pipeline_coverage: float | None
    quota_deals_won: Decimal | None
    attainment_deals_won: float | None
    quota_new_customers: Decimal | None
    attainment_new_customers: float | None

    def figures(self) -> dict:
        """The KPIs by name (KPI_KEYS, in the order reports show them)."""
        return {key: getattr(self, key) for key in KPI_KEYS}


# The KPI names, in the order reports show them.
KPI_KEYS = [f.name for f in fields(SalesKpis)]


@dataclass(kw_only=True)
class CompanyKpis(SalesKpis):
    """The KPIs of a user's whole scope. The attainment compares like with like: of the won
    value, `won_value_in_quota` was won by the teams whose quotas make up `quota`, and
    `won_value_outside_quota` by people outside them (docs/kpis.md)."""

    won_value_in_quota: Decimal
    won_value_outside_quota: Decimal


@dataclass(frozen=True)
class ScorecardFlag:
    """A KPI on which a rep is well below or above their team (tandem.kpis.scorecards)."""

    key: str
    label: str | Promise  # translated when shown
    value: Decimal | float | int
    team_value: Decimal | float | int
    better: bool


@dataclass(kw_only=True)
class GroupKpis(SalesKpis):
    """The KPIs of one group (a rep, team, region, channel or product; `key` its id, None for
    "no team" or "no channel"), with the group's object once labelled, and the activities and
    flags of the scorecards where they were added."""

    key: int | None
    obj: Any = None
    activities: int | None = None
    activities_per_rep: float | None = None
    flags: list[ScorecardFlag] = field(default_factory=list)


@dataclass(kw_only=True)
class ChannelKpis(GroupKpis):
    """A sales channel's KPIs with its won value in the previous period and the growth."""

    channel: Channel | None
    previous_won_value: Decimal
    growth: float | None


@dataclass
class FunnelStep:
    """One step of the funnel: the deals that reached the stage (the won step: `stage` is the
    won stage, `code` "won", with the deals `lost`) and the share of them that went on."""

    stage: Stage | None
    code: str
    reached: int
    conversion: float | None = None
    lost: int | None = None


@dataclass(frozen=True)
class QuotaComparison:
    """A team's own quota next to the sum of its reps' quotas."""

    team_id: int
    team_name: str
    team_quota: Decimal | None
    reps_sum: Decimal | None

    @property
    def differs(self) -> bool:
        return (
            self.team_quota is not None
            and self.reps_sum is not None
            and self.team_quota != self.reps_sum
        )


class DaysBetween(Func):
    """Days from the second date to the first (`end - start`), on SQLite and PostgreSQL."""

    arity = 2
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra
        )


def _between(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _aggregates(period: Period) -> dict:
    """The SQL aggregates behind every KPI, for one period."""
    closed = _between("closed_on", period)
    won = Q(stage__outcome=StageOutcome.WON) & closed
    lost = Q(stage__outcome=StageOutcome.LOST) & closed
    created = _between("created_on", period)
    closing = Q(stage__outcome=StageOutcome.OPEN) & _between("expected_close_on", period)
    earlier_win = Deal.objects.filter(
        account_id=OuterRef("account_id"),
        stage__outcome=StageOutcome.WON,
        closed_on__lt=OuterRef("closed_on"),
    )
    return {
        "won_value": Sum("value", filter=won, default=ZERO, output_field=MONEY),
        "deals_won": Count("pk", filter=won),
        "deals_lost": Count("pk", filter=lost),
        # The nested CASE makes the database look for an earlier win only for the deals won
        # in the period (an AND in a FILTER clause may be evaluated in any order).
        "new_customers": Count(
            Case(
                When(
                    won & Q(account__isnull=False),
                    then=Case(When(~Exists(earlier_win), then=F("account_id"))),
                )
            ),
            distinct=True,
        ),
        "sales_cycle_days": Avg(
            DaysBetween(F("closed_on"), Coalesce(F("engaged_on"), F("created_on"))),
            filter=won,
        ),
        "pipeline_created": Sum("value", filter=created, default=ZERO, output_field=MONEY),
        "deals_created": Count("pk", filter=created),
        "open_pipeline": Sum("value", filter=closing, default=ZERO, output_field=MONEY),
    }


def _ratio(numerator, denominator) -> float | None:
    if not denominator:
        return None
    return float(numerator) / float(denominator)


def _derive(row: dict, quotas: dict) -> dict:
    """The KPIs (SalesKpis' fields) of one group's aggregates (`row`, as the database answers),
    and its quota figures (`quotas`: per metric)."""
    quota = quotas.get(QuotaMetric.WON_VALUE)
    deals_quota = quotas.get(QuotaMetric.DEALS_WON)
    customers_quota = quotas.get(QuotaMetric.NEW_CUSTOMERS)
    won_value = Decimal(row["won_value"] or ZERO)
    closed = row["deals_won"] + row["deals_lost"]
    cycle = row["sales_cycle_days"]
    remaining = (quota - won_value) if quota is not None else None
    return {
        "won_value": won_value,
        "deals_won": row["deals_won"],
        "deals_lost": row["deals_lost"],
        "win_rate": _ratio(row["deals_won"], closed),
        "new_customers": row["new_customers"],
        "avg_deal_size": (won_value / row["deals_won"]).quantize(Decimal("0.01"))
        if row["deals_won"]
        else None,
        "sales_cycle_days": round(float(cycle), 1) if cycle is not None else None,
        "pipeline_created": Decimal(row["pipeline_created"] or ZERO),
        "deals_created": row["deals_created"],
        "open_pipeline": Decimal(row["open_pipeline"] or ZERO),
        "quota": quota,
        "attainment": _ratio(won_value, quota),
        "pipeline_coverage": _ratio(row["open_pipeline"] or ZERO, remaining)
        if remaining is not None and remaining > 0
        else None,
        "quota_deals_won": deals_quota,
        "attainment_deals_won": _ratio(row["deals_won"], deals_quota),
        "quota_new_customers": customers_quota,
        "attainment_new_customers": _ratio(row["new_customers"], customers_quota),
    }


# --- quotas --------------------------------------------------------------------------------


def _quota_period(period: Period) -> Q:
    """Quotas (or their sums) lying within the period: a quarter's monthly quotas add up."""
    return Q(period_start__gte=period.start, period_start__lte=period.end) & Q(
        period_end__lte=period.end
    )


def _quota_rollup(period: Period, metrics=QuotaMetric.values) -> QuerySet[TeamQuota]:
    """The quota rollup's rows (see `TeamQuota`) lying within the period (the job kpis.refresh
    keeps them up to date)."""
    return TeamQuota.objects.filter(_quota_period(period), metric__in=metrics).order_by()


def _quota_rows(period: Period) -> QuerySet[Quota]:
    """Quotas lying within the period. Naming every metric lets the database use the (metric,
    period_start) index."""
    return Quota.objects.filter(_quota_period(period), metric__in=QuotaMetric.values).order_by()


class _Remembered(threading.local):
    """Quota sums read within one web request (a cockpit asks for the same ones many times);
    forgotten when the request ends and whenever a write touches something (`forget`, told
    by tandem.core.touched: the quota services touch the quota's team)."""

    store: dict | None = None


_remembered = _Remembered()


def _remember(name: tuple, period: Period, compute) -> dict:
    store = _remembered.store
    if store is None:
        return compute()
    key = (name, period)
    if key not in store:
        store[key] = compute()
    return store[key]


def _start_remembering(**kwargs) -> None:
    _remembered.store = {}


def _stop_remembering(**kwargs) -> None:
    _remembered.store = None


def forget(touch: Touch) -> None:
    """A write touched something (tandem.core.touched; registered in KpisConfig.ready)."""
    if _remembered.store is not None:
        _remembered.store.clear()


request_started.connect(_start_remembering, dispatch_uid="kpis-quota-sums-start")
request_finished.connect(_stop_remembering, dispatch_uid="kpis-quota-sums-stop")


def _by_metric(rows) -> dict[str, dict[int, Decimal]]:
    """(metric, id, sum) rows as {metric: {id: sum}}, every metric present."""
    sums: dict[str, dict[int, Decimal]] = {metric: {} for metric in QuotaMetric.values}
    for metric, pk, total in rows:
        sums[metric][pk] = total
    return sums


def _quota_reach(scope: KpiScope) -> tuple[tuple, Callable[[], Q]]:
    """The quotas the scope's figures can involve: a name to remember their sums by, and the
    condition that finds them. A Sales Manager's page needs their teams' quotas, not those of
    the thousands of other teams; the few teams and people are named by id, so that the
    database finds their quotas by index."""
    user, team = scope.user, scope.team

    def of_teams(teams: list[int]) -> Q:
        people = [*User.objects.filter(team_id__in=teams).values_list("pk", flat=True), user.pk]
        return Q(team_id__in=teams) | Q(user_id__in=people)

    if team is not None and (user.sees_everything or team.manager_id == user.pk):
        return ("team", team.pk), lambda: of_teams([team.pk])
    if user.sees_everything:
        return ("everyone",), Q
    if user.role == Role.SALES_MANAGER:
        managed = Team.objects.filter(manager=user).values_list("pk", flat=True)
        return ("manager", user.pk), lambda: of_teams(list(managed))
    return ("person", user.pk), lambda: Q(user_id=user.pk)


def rep_targets(scope: KpiScope, metric: str = QuotaMetric.WON_VALUE) -> dict[int, Decimal]:
    """Per person within the scope's reach (see `_quota_reach`): their personal quotas."""
    name, reach = _quota_reach(scope)

    def compute():
        rows = (
            _quota_rows(scope.period)
            .filter(reach(), user__isnull=False)
            .values("metric", "user_id")
            .annotate(t=Sum("target"))
        )
        return _by_metric(rows.values_list("metric", "user_id", "t"))

    return _remember(("reps", *name), scope.period, compute)[metric]


def _team_sums(scope: KpiScope, teams: list | None = None) -> dict[str, dict]:
    """Per metric and team within the scope's reach, in one query: the team's own quota
    ("teams") and the sum of its members' personal quotas ("team_reps"). The whole company's
    are read from the quota rollup (a few rows per team; only those of `teams` if given, as a
    page of thousands of teams shows a few), the others' from their few teams' quotas."""
    name, reach = _quota_reach(scope)
    period = scope.period
    everyone = name == ("everyone",)
    shown = None
    if everyone and teams is not None:
        shown = tuple(sorted(t for t in teams if t is not None))

    def compute():
        # (metric, team, the team's own quota, the sum of its members' quotas)
        rows: Iterable[tuple[str, int | None, Decimal | None, Decimal | None]]
        if everyone:
            quotas = _quota_rollup(period).filter(team__isnull=False)
            if shown is not None:
                quotas = quotas.filter(team_id__in=shown)
            rows = (
                quotas.values("metric", "team_id")
                .annotate(own=Sum("own"), members=Sum("members"))
                .values_list("metric", "team_id", "own", "members")
            )
        else:
            rows = [
                (metric, team_id, total, None)
                if team_id is not None
                else (metric, members_team_id, None, total)
                for metric, team_id, members_team_id, total in _quota_rows(period)
                .filter(reach())
                .values("metric", "team_id", "user__team_id")
                .annotate(t=Sum("target"))
                .values_list("metric", "team_id", "user__team_id", "t")
            ]
        own, members = [], []
        for metric, team_id, own_sum, members_sum in rows:
            if team_id is None:
                continue
            if own_sum is not None:
                own.append((metric, team_id, own_sum))
            if members_sum is not None:
                members.append((metric, team_id, members_sum))
        return {"teams": _by_metric(own), "team_reps": _by_metric(members)}

    return _remember(("teams", *name, shown), period, compute)


def _company_quota(period: Period) -> dict[str, Decimal | None]:
    """The whole company's quota per metric, added up by the database over the quota rollup:
    each team's own quota, else its members' sum (None: no team has one). One small result
    however many teams there are (`_team_sums` turns a row per team into Python)."""

    def compute():
        per_team = (
            _quota_rollup(period)
            .values(quota_metric=F("metric"), quota_team=F("team_id"))
            .annotate(own_sum=Sum("own"), members_sum=Sum("members"))
        )
        target = Coalesce("own_sum", "members_sum")
        in_team = Q(quota_team__isnull=False)
        return per_team.aggregate(
            **{
                metric: Sum(target, filter=Q(quota_metric=metric) & in_team, output_field=MONEY)
                for metric in QuotaMetric.values
            }
        )

    return _remember(("company",), period, compute)


def _personal_quota(period: Period, metric: str) -> Decimal | None:
    """The sum of every personal quota: the company's quota when no team has one."""
    return _quota_rollup(period, [metric]).aggregate(total=Sum("members"))["total"]


def _quota_teams(period: Period) -> QuerySet:
    """The ids of the teams with a won-value quota (own or their members') in the period, as a
    subquery: the whole company's attainment counts their deals."""
    return (
        _quota_rollup(period, [QuotaMetric.WON_VALUE]).filter(team__isnull=False).values("team_id")
    )


def team_targets(
    scope: KpiScope, metric: str = QuotaMetric.WON_VALUE, teams: list | None = None
) -> dict[int, Decimal]:
    """Per team: its own quota (of `teams`, if given; see `_team_sums`)."""
    return _team_sums(scope, teams)["teams"][metric]


def team_rep_sums(
    scope: KpiScope, metric: str = QuotaMetric.WON_VALUE, teams: list | None = None
) -> dict[int, Decimal]:
    """Per team: the sum of its members' personal quotas (of `teams`, if given)."""
    return _team_sums(scope, teams)["team_reps"][metric]


def _team_target(team_id, teams: dict, reps: dict) -> Decimal | None:
    """A team's target: its own quota, else the sum of its reps' quotas."""
    if team_id in teams:
        return teams[team_id]
    return reps.get(team_id)


def _scope_teams(user: User) -> QuerySet[Team] | None:
    """The teams whose whole quota the user answers for (None: everything)."""
    if user.sees_everything:
        return None
    if user.role == Role.SALES_MANAGER:
        return Team.objects.filter(manager=user)
    return Team.objects.none()


# --- the KPIs ------------------------------------------------------------------------------


@dataclass
class KpiScope:
    user: User
    period: Period
    team: Team | None = None
    # aggregates already read for this scope (a page asks for the same grain twice)
    _read: dict = field(default_factory=dict, compare=False, repr=False)

    def deals(self) -> QuerySet[Deal]:
        deals = visible_deals(self.user)
        if self.team is not None:
            deals = deals.filter(owner__team=self.team)
        return deals.order_by()


def _relevant(period: Period) -> Q:
    """The only deals any KPI of the period looks at (lets the database skip the others)."""
    return (
        _between("closed_on", period)
        | _between("created_on", period)
        | _between("expected_close_on", period)
    )


def _months(period: Period) -> Q:
    return Q(month__gte=period.start, month__lte=period.end)


def _rollup_sums() -> dict:
    """The aggregates of `_aggregates` over rollup rows (DealMonth, TeamMonth, CompanyMonth)."""
    won, lost = Q(fact=Fact.WON), Q(fact=Fact.LOST)
    created, closing = Q(fact=Fact.CREATED), Q(fact=Fact.CLOSING)
    return {
        "won_value": Sum("value", filter=won, default=ZERO, output_field=MONEY),
        "deals_won": Sum("deals", filter=won, default=0),
        "deals_lost": Sum("deals", filter=lost, default=0),
        "cycle_deals": Sum("cycle_deals", filter=won, default=0),
        "cycle_days": Sum("cycle_days", filter=won, default=0),
        "pipeline_created": Sum("value", filter=created, default=ZERO, output_field=MONEY),
        "deals_created": Sum("deals", filter=created, default=0),
        "open_pipeline": Sum("value", filter=closing, default=ZERO, output_field=MONEY),
    }


def _of_teams(teams: list, field: str = "owner__team_id") -> Q:
    """The rows of these teams (None among them: of the people without a team)."""
    condition = Q(**{f"{field}__in": [team for team in teams if team is not None]})
    if None in teams:
        condition |= Q(**{f"{field}__isnull": True})
    return condition


def _rolled_up(
    scope: KpiScope, field: str | None, only: Q | None = None, teams: list | None = None
) -> dict | list[dict]:
    """The same aggregates as `_aggregates`, from the monthly rollup (tandem.kpis.rollup)."""
    period = scope.period
    owners = rollup.owner_filter(scope.user, scope.team)
    if only is not None:
        owners &= only
    if teams is not None:
        owners &= _of_teams(teams)
    months = _months(period)
    aggregates = _rollup_sums()
    whole = rollup.everything(scope.user, scope.team) and only is None
    rows: QuerySet[CompanyMonth] | QuerySet[DealMonth]
    if whole and teams is None and field in (None, "channel_id"):
        rows = CompanyMonth.objects.filter(months).order_by()
    else:
        rows = DealMonth.objects.filter(owners, months).order_by()
    wins = FirstWin.objects.filter(
        owners, closed_on__gte=period.start, closed_on__lte=period.end
    ).order_by()
    customers = Count("account_id", distinct=True)

    def finish(row: dict, new: int) -> dict:
        cycle_deals, cycle_days = row.pop("cycle_deals"), row.pop("cycle_days")
        row["sales_cycle_days"] = cycle_days / cycle_deals if cycle_deals else None
        row["new_customers"] = new
        return row

    if field is None:
        return finish(rows.aggregate(**aggregates), wins.aggregate(n=customers)["n"])
    new = dict(wins.values(field).annotate(n=customers).values_list(field, "n"))
    if field == GRAINS["team"] and whole:
        # the team rollup (team NULL: the people without a team)
        shown = _of_teams(teams, "team_id") if teams is not None else Q()
        grouped = [
            {field: row.pop("team_id"), **row}
            for row in map(
                dict,
                TeamMonth.objects.filter(months, shown)
                .values("team_id")
                .annotate(**aggregates)
                .order_by(),
            )
        ]
        grouped.sort(key=lambda row: (row[field] is None, row[field] or 0))
    else:
        grouped = rows.values(field).annotate(**aggregates).order_by(field)
    return [finish(row, new.get(row[field], 0)) for row in grouped]


def _copied(result: dict | list[dict]) -> dict | list[dict]:
    """A copy the caller may change (the rows hold only numbers: a shallow copy each)."""
    return dict(result) if isinstance(result, dict) else [dict(row) for row in result]


def _aggregated(
    scope: KpiScope, field: str | None, only: Q | None = None, teams: list | None = None
):
    """The aggregates of the scope's deals (narrowed by `only`, over deal/rollup fields, and
    to the owners in `teams`)."""
    whole = only is None and teams is None
    if whole and field in scope._read:
        return _copied(scope._read[field])
    if rollup.covers(scope.user) and field != GRAINS["product"]:
        result = _rolled_up(scope, field, only, teams)
        if whole:
            scope._read[field] = _copied(result)
        return result
    aggregates = _aggregates(scope.period)
    deals = scope.deals().filter(_relevant(scope.period))
    if only is not None:
        deals = deals.filter(only)
    if teams is not None:
        deals = deals.filter(_of_teams(teams))
    if field is None:
        return deals.aggregate(**aggregates)
    return list(deals.values(field).annotate(**aggregates).order_by(field))


def company_kpis(scope: KpiScope) -> CompanyKpis:
    """The KPIs of the scope's deals in its period.

    Read from the monthly rollup when the user's deals are a set of owners' deals (everyone
    but a Key Account Manager), else aggregated from the deals themselves.

    The attainment compares like with like: only the deals of the teams whose quotas make up
    `quota` count against it (`won_value_in_quota`); deals of owners outside those teams — in
    the demo the Key Account Managers, who carry no sales quota — stay in `won_value` and are
    shown as `won_value_outside_quota` (docs/kpis.md)."""
    everything = _aggregated(scope, None)
    quotas = {metric: _company_target(scope, metric) for metric in QuotaMetric.values}
    result = _derive(everything, quotas)
    in_quota = result["won_value"]
    team_ids = _quota_team_ids(scope)
    if team_ids is not None:
        covered = _derive(_covered(scope, team_ids, everything), quotas)
        for key in (
            "attainment",
            "attainment_deals_won",
            "attainment_new_customers",
            "pipeline_coverage",
        ):
            result[key] = covered[key]
        in_quota = covered["won_value"]
    return CompanyKpis(
        **result,
        won_value_in_quota=in_quota,
        won_value_outside_quota=result["won_value"] - in_quota,
    )


def group_kpis(scope: KpiScope, grain: str, teams: list | None = None) -> list[GroupKpis]:
    """The KPIs per group of the grain (`key`: the group's id), of the owners in `teams` (ids;
    None among them: the people without a team) if given; per product aggregated from the
    deals, else as `company_kpis`."""
    field = GRAINS[grain]
    assert field is not None, "the company's figures are company_kpis"
    metrics = QuotaMetric.values
    targets = {metric: _grain_targets(scope, grain, metric, teams) for metric in metrics}
    return [
        GroupKpis(
            key=row[field],
            **_derive(row, {metric: targets[metric].get(row[field]) for metric in metrics}),
        )
        for row in _aggregated(scope, field, teams=teams)
    ]


def company_target(scope: KpiScope, metric: str) -> Decimal | None:
    """The quota the scope's user answers for (see docs/kpis.md: company attainment)."""
    return _company_target(scope, metric)


def _company_target(scope: KpiScope, metric: str) -> Decimal | None:
    if scope.team is not None:
        if scope.user.sees_everything or scope.team.manager_id == scope.user.pk:
            teams, reps_by_team = team_targets(scope, metric), team_rep_sums(scope, metric)
            return _team_target(scope.team.pk, teams, reps_by_team)
        return rep_targets(scope, metric).get(scope.user.pk)
    allowed = _scope_teams(scope.user)
    if allowed is None:
        target = _company_quota(scope.period)[metric]
        # no team has a quota: everyone's personal quotas
        return target if target is not None else _personal_quota(scope.period, metric)
    team_ids = set(allowed.values_list("pk", flat=True))
    if not team_ids:
        return rep_targets(scope, metric).get(scope.user.pk)
    teams, reps_by_team = team_targets(scope, metric), team_rep_sums(scope, metric)
    targets = [_team_target(pk, teams, reps_by_team) for pk in team_ids]
    values = [v for v in targets if v is not None]
    return sum(values, ZERO) if values else None


# Up to this many teams without a quota, the company's figures within quota are the company's
# minus theirs; with more, the teams with a quota are summed.
OUTSIDE_TEAMS_LIMIT = 500


def _covered(scope: KpiScope, team_ids: set | QuerySet, everything: dict) -> dict:
    """The aggregates of the deals owned by members of `team_ids` (ids or a subquery). For the
    whole company: all of them minus those of the (few) people outside these teams, so that
    the company rollup answers and thousands of teams cost nothing; new customers are counted
    exactly."""
    inside = Q(owner__team_id__in=team_ids)
    if not (rollup.covers(scope.user) and rollup.everything(scope.user, scope.team)):
        return _aggregated(scope, None, inside)
    period = scope.period
    outside_teams = list(
        Team.objects.exclude(pk__in=team_ids)
        .order_by()
        .values_list("pk", flat=True)[: OUTSIDE_TEAMS_LIMIT + 1]
    )
    if len(outside_teams) > OUTSIDE_TEAMS_LIMIT:
        return _aggregated(scope, None, inside)
    outsiders = [*outside_teams, None]  # and the people without a team
    outside = TeamMonth.objects.filter(_of_teams(outsiders, "team_id"), _months(period))
    theirs = outside.order_by().aggregate(**_rollup_sums())
    additive = [k for k in everything if k not in {"sales_cycle_days", "new_customers"}]
    covered = {key: everything[key] - theirs[key] for key in additive}
    covered["sales_cycle_days"] = None
    # the accounts first won in the period only by people outside (an account first won on
    # the same day by someone inside as well counts as inside)
    wins = FirstWin.objects.filter(closed_on__gte=period.start, closed_on__lte=period.end)
    by_outsiders = _of_teams(outsiders)
    theirs_only = set(wins.filter(by_outsiders).values_list("account_id", flat=True))
    if theirs_only:
        theirs_only -= set(
            wins.filter(account_id__in=theirs_only)
            .exclude(by_outsiders)
            .values_list("account_id", flat=True)
        )
    covered["new_customers"] = everything["new_customers"] - len(theirs_only)
    return covered


def leading_teams(scope: KpiScope, limit: int) -> tuple[list[GroupKpis], int]:
    """The whole company's `limit` teams with the most won value in the period (the people
    without a team count as one), with their KPIs, and how many teams with figures are left
    out. A page of thousands of teams reads the figures of only those it shows."""
    assert rollup.everything(scope.user, scope.team) and rollup.covers(scope.user)
    won = (
        TeamMonth.objects.filter(_months(scope.period))
        .values("team_id")
        .annotate(won=_rollup_sums()["won_value"])
        .order_by()
        .values_list("team_id", "won")
    )
    ranked = sorted(won, key=lambda row: (-row[1], row[0] is None, row[0] or 0))
    shown: list[int | None] = [team for team, _won in ranked[:limit]]
    if not shown:
        return [], 0
    rows = group_kpis(scope, "team", teams=shown)
    rows.sort(key=lambda row: shown.index(row.key))
    return rows, len(ranked) - len(shown)


def _quota_team_ids(scope: KpiScope) -> set | QuerySet | None:
    """The teams whose won-value quotas make up the scope's company-level quota, when that
    quota is made of team quotas (None: it is the user's own, or there is none); for the whole
    company a subquery."""
    if scope.team is not None:
        return None  # the team's deals are exactly the team's
    allowed = _scope_teams(scope.user)
    if allowed is None:
        has_teams = _company_quota(scope.period)[QuotaMetric.WON_VALUE] is not None
        return _quota_teams(scope.period) if has_teams else None
    return set(allowed.values_list("pk", flat=True)) or None


def _grain_targets(scope: KpiScope, grain: str, metric: str, teams: list | None = None) -> dict:
    if grain == "rep":
        targets = rep_targets(scope, metric)
        if scope.user.sees_everything:
            return targets
        return {
            pk: t
            for pk, t in targets.items()
            if pk == scope.user.pk or scope.user.role == Role.SALES_MANAGER
        }
    if grain in {"team", "region"}:
        allowed = _scope_teams(scope.user)
        allowed_ids = None if allowed is None else set(allowed.values_list("pk", flat=True))
        own, reps = team_targets(scope, metric, teams), team_rep_sums(scope, metric, teams)
        by_team = {
            pk: _team_target(pk, own, reps)
            for pk in set(own) | set(reps)
            if allowed_ids is None or pk in allowed_ids
        }
        if grain == "team":
            return by_team
        regions: dict = {}
        for pk, region_id in Team.objects.filter(pk__in=by_team).values_list("pk", "region_id"):
            regions[region_id] = regions.get(region_id, ZERO) + by_team[pk]
        return regions
    return {}


def quota_comparison(scope: KpiScope, metric: str = QuotaMetric.WON_VALUE) -> list[QuotaComparison]:
    """Per visible team with a quota (by name): its own quota next to the sum of its reps'
    quotas, flagged when they differ."""
    sums: Iterable[tuple[int, str, Decimal | None, Decimal | None]]
    if rollup.everything(scope.user, scope.team):  # only this metric's quota rollup rows
        sums = (
            _quota_rollup(scope.period, [metric])
            .filter(team__isnull=False)
            .values("team_id", "team__name")
            .annotate(own=Sum("own"), members=Sum("members"))
            .order_by("team__name", "team_id")
            .values_list("team_id", "team__name", "own", "members")
        )
    else:
        allowed = _scope_teams(scope.user)
        visible = Team.objects.all() if allowed is None else allowed
        teams, reps = team_targets(scope, metric), team_rep_sums(scope, metric)
        sums = [
            (pk, name, teams.get(pk), reps.get(pk))
            for pk, name in visible.values_list("pk", "name")
        ]
    return [
        QuotaComparison(team_id=pk, team_name=name, team_quota=own, reps_sum=summed)
        for pk, name, own, summed in sums
        if own is not None or summed is not None
    ]


# --- funnel and channels -------------------------------------------------------------------


def funnel(scope: KpiScope) -> list[FunnelStep]:
    """Stage-to-stage conversion of the deals created in the period (a cohort).

    A deal has *reached* an open stage when its history shows it entered that stage or a later
    open one (or it sits in one now), and every won deal has reached every stage. Conversion of
    a stage = deals that reached the next stage (won after the last) / deals that reached it.
    One grouped query: deals per (furthest open stage reached, outcome).
    """
    furthest = (
        StageChange.objects.filter(deal_id=OuterRef("pk"), to_stage__outcome=StageOutcome.OPEN)
        .order_by()
        .values("deal_id")
        .annotate(position=Max("to_stage__position"))
        .values("position")[:1]
    )
    current = Case(
        When(stage__outcome=StageOutcome.OPEN, then=F("stage__position")),
        default=Value(-1),
        output_field=IntegerField(),
    )
    groups: list[Mapping[str, Any]]  # reached (stage position), stage__outcome, n (deals)
    if rollup.covers(scope.user):
        table = (
            CompanyMonth.objects.all()
            if rollup.everything(scope.user, scope.team)
            else DealMonth.objects.filter(rollup.owner_filter(scope.user, scope.team))
        )
        groups = [
            {"reached": row["reached"], "stage__outcome": row["outcome"], "n": row["n"]}
            for row in table.filter(
                fact=Fact.CREATED,
                month__gte=scope.period.start,
                month__lte=scope.period.end,
            )
            .values("reached", "outcome")
            .annotate(n=Sum("deals"))
            .order_by()
        ]
    else:
        deals = scope.deals().filter(_between("created_on", scope.period))
        groups = list(
            deals.annotate(
                reached=Coalesce(Subquery(furthest, output_field=IntegerField()), current)
            )
            .values("reached", "stage__outcome")
            .annotate(n=Count("pk"))
            .order_by()
        )
    stages = list(Stage.objects.order_by("position"))
    open_stages = [s for s in stages if s.outcome == StageOutcome.OPEN]
    won_stage = next((s for s in stages if s.outcome == StageOutcome.WON), None)
    won = sum(g["n"] for g in groups if g["stage__outcome"] == StageOutcome.WON)
    lost = sum(g["n"] for g in groups if g["stage__outcome"] == StageOutcome.LOST)
    steps = []
    for stage in open_stages:
        reached = sum(
            g["n"]
            for g in groups
            if g["stage__outcome"] == StageOutcome.WON
            or (g["reached"] is not None and g["reached"] >= stage.position)
        )
        steps.append(FunnelStep(stage=stage, code=stage.code, reached=reached))
    steps.append(FunnelStep(stage=won_stage, code="won", reached=won, lost=lost))
    for step, following in zip(steps, steps[1:], strict=False):
        step.conversion = _ratio(following.reached, step.reached)
    return steps


def by_channel(scope: KpiScope) -> list[ChannelKpis]:
    """The KPIs per sales channel, with won value in the previous period and the growth."""
    current = group_kpis(scope, "channel")
    before = {
        row.key: row.won_value
        for row in group_kpis(KpiScope(scope.user, scope.period.previous, scope.team), "channel")
    }
    channels: dict[int | None, Channel] = {c.pk: c for c in Channel.objects.all()}
    rows = []
    for row in current:
        previous = before.get(row.key, ZERO)
        rows.append(
            ChannelKpis(
                **{f.name: getattr(row, f.name) for f in fields(GroupKpis)},
                channel=channels.get(row.key),
                previous_won_value=previous,
                growth=_ratio(row.won_value - previous, previous),
            )
        )
    return rows


# --- everything for one report -------------------------------------------------------------


def _label_map(grain: str, keys) -> dict:
    keys = [k for k in keys if k is not None]
    if grain == "rep":
        return {u.pk: u for u in User.objects.filter(pk__in=keys).select_related("team")}
    if grain == "team":
        return {t.pk: t for t in Team.objects.filter(pk__in=keys)}
    if grain == "region":
        return {r.pk: r for r in Region.objects.filter(pk__in=keys)}
    if grain == "channel":
        return {c.pk: c for c in Channel.objects.filter(pk__in=keys)}
    if grain == "product":
        return {p.pk: p for p in Product.objects.filter(pk__in=keys)}
    return {}


def labelled(scope: KpiScope, grain: str) -> list[GroupKpis]:
    """The KPIs per group with the group's object (`obj`, None for "no team/channel")."""
    return with_labels(grain, group_kpis(scope, grain))


def with_labels(grain: str, rows: list[GroupKpis]) -> list[GroupKpis]:
    """`rows` of `group_kpis(scope, grain)`, each given its group's object (`obj`)."""
    objects = _label_map(grain, [row.key for row in rows])
    for row in rows:
        row.obj = objects.get(row.key)
    return rows
