"""Bottlenecks and stalled deals, from the stage history (StageChange rows) and activities.

- A *stage visit* starts when a deal enters a stage (a StageChange to it) and ends with the
  deal's next StageChange. Its dwell time is the days between the two.
- `stage_dwell` compares, per open stage, the average dwell of the visits that ended in the
  period with the visits that ended in the four periods before it (the scope's own past): a
  stage whose dwell grew by more than a quarter is flagged as a bottleneck.
- A deal is *stalled* when it is open and nothing happened to it — no stage change, no
  activity — for longer than is usual for its stage: 1.5 × the average dwell of that stage's
  visits that ended in the last 365 days (at least 14 days; 30 days when there is no history).
"""

from __future__ import annotations

import datetime
import functools
import heapq
import itertools
import operator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db import connection, connections
from django.db.models import (
    Case,
    DateTimeField,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from tandem.core.replicas import reads_database
from tandem.kpis import rollup
from tandem.kpis.models import (
    CompanyVisitDay,
    CompanyVisitMonth,
    OpenDeal,
    VisitDay,
    VisitMonth,
)
from tandem.kpis.sales import KpiScope
from tandem.pipeline.models import Deal, Stage, StageChange, StageOutcome


class Stall(TypedDict):
    """What a stalled deal carries beside its fields (`stalled_deals`)."""

    last_touch: datetime.datetime
    idle_days: int
    usual_days: int


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    StalledDeal = WithAnnotations[Deal, Stall]  # a Deal with the attributes of Stall

STALL_FACTOR = 1.5
STALL_MIN_DAYS = 14
STALL_DEFAULT_DAYS = 30
BOTTLENECK_GROWTH = 1.25
PAST_PERIODS = 4


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


_DAYS = {
    "sqlite": "julianday(changed_at) - julianday(entered_at)",
    "postgresql": "EXTRACT(EPOCH FROM (changed_at - entered_at)) / 86400.0",
}


def _dwell_by_stage(scope: KpiScope, start: datetime.date, end: datetime.date) -> dict:
    """Per stage id: average dwell days and number of visits that ended in [start, end].

    Every StageChange ends the visit its deal's previous change began; the previous change is
    found with LAG() over the deal's changes in time order, in one pass (a window function the
    ORM cannot aggregate over, hence this one SQL statement; the deals come from the scope's
    queryset, so visibility is the same as everywhere)."""
    deals_sql, deals_params = scope.deals().values("pk").query.sql_with_params()
    table = StageChange._meta.db_table
    sql = f"""
        SELECT stage_id, AVG({_DAYS[connection.vendor]}), COUNT(*)
        FROM (
            SELECT changed_at,
                   LAG(to_stage_id) OVER w AS stage_id,
                   LAG(changed_at) OVER w AS entered_at
            FROM {table}
            WHERE deal_id IN ({deals_sql}) AND changed_at < %s
              AND deal_id IN (
                  SELECT deal_id FROM {table} WHERE changed_at >= %s AND changed_at < %s
              )
            WINDOW w AS (PARTITION BY deal_id ORDER BY changed_at, id)
        ) visits
        WHERE changed_at >= %s AND entered_at IS NOT NULL
        GROUP BY stage_id
    """
    start_at, end_at = _start_of(start), _start_of(end + datetime.timedelta(days=1))
    bounds = [end_at, start_at, end_at, start_at]
    params = [*deals_params, *(connection.ops.adapt_datetimefield_value(b) for b in bounds)]
    with connections[reads_database()].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        stage_id: {"days": float(days) if days is not None else None, "visits": visits}
        for stage_id, days, visits in rows
    }


def _rolled_up_dwell(scope: KpiScope, start: datetime.date, end: datetime.date) -> dict:
    """`_dwell_by_stage` from the visit rollups: whole months from VisitMonth, the days of a
    partial month at either edge from VisitDay."""
    owners = rollup.owner_filter(scope.user, scope.team)
    months: QuerySet[VisitMonth] | QuerySet[CompanyVisitMonth] = VisitMonth.objects.filter(owners)
    days: QuerySet[VisitDay] | QuerySet[CompanyVisitDay] = VisitDay.objects.filter(owners)
    if rollup.everything(scope.user, scope.team):
        months, days = CompanyVisitMonth.objects.all(), CompanyVisitDay.objects.all()
    first_month = start if start.day == 1 else _next_month(start)
    full_end = (
        end
        if (end + datetime.timedelta(days=1)).day == 1
        else end.replace(day=1) - datetime.timedelta(days=1)
    )
    parts: list[QuerySet[Any]]  # of VisitMonth, VisitDay or the company's
    if first_month <= full_end:
        parts = [months.filter(month__gte=first_month, month__lte=full_end)]
        if start < first_month:
            parts.append(days.filter(day__gte=start, day__lt=first_month))
        if full_end < end:
            parts.append(days.filter(day__gt=full_end, day__lte=end))
    else:
        parts = [days.filter(day__gte=start, day__lte=end)]
    totals: dict = {}
    for rows in parts:
        grouped = rows.order_by().values("stage_id").annotate(v=Sum("visits"), d=Sum("days"))
        for row in grouped.values_list("stage_id", "v", "d"):
            visits, idle = totals.get(row[0], (0, 0.0))
            totals[row[0]] = (visits + row[1], idle + float(row[2] or 0))
    return {
        stage_id: {"days": days / visits if visits else None, "visits": visits}
        for stage_id, (visits, days) in totals.items()
    }


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _dwell(scope: KpiScope, start: datetime.date, end: datetime.date) -> dict:
    if rollup.covers(scope.user):
        return _rolled_up_dwell(scope, start, end)
    return _dwell_by_stage(scope, start, end)


@dataclass(frozen=True)
class StageDwell:
    """An open stage's average days per visit in the period and in the four periods before,
    with the visits counted, flagged as a bottleneck when it grew by more than a quarter."""

    stage: Stage
    days: float | None
    visits: int
    past_days: float | None
    past_visits: int
    bottleneck: bool


def stage_dwell(scope: KpiScope) -> list[StageDwell]:
    """Per open stage: dwell in the period, in the four periods before, and a flag."""
    period = scope.period
    now = _dwell(scope, period.start, period.end)
    past_start = period.shifted(-PAST_PERIODS).start
    past = _dwell(scope, past_start, period.start - datetime.timedelta(days=1))
    rows = []
    for stage in Stage.objects.filter(outcome=StageOutcome.OPEN).order_by("position"):
        current, before = now.get(stage.pk), past.get(stage.pk)
        days = current["days"] if current else None
        past_days = before["days"] if before else None
        rows.append(
            StageDwell(
                stage=stage,
                days=days,
                visits=current["visits"] if current else 0,
                past_days=past_days,
                past_visits=before["visits"] if before else 0,
                bottleneck=bool(days and past_days and days > past_days * BOTTLENECK_GROWTH),
            )
        )
    return rows


def usual_days(scope: KpiScope, today: datetime.date) -> dict[int, float]:
    """Per open stage: how many idle days are still usual (see the module's docstring)."""
    recent = _dwell(scope, today - datetime.timedelta(days=365), today)
    usual = {}
    for stage_id in Stage.objects.filter(outcome=StageOutcome.OPEN).values_list("pk", flat=True):
        row = recent.get(stage_id)
        usual[stage_id] = (
            max(row["days"] * STALL_FACTOR, STALL_MIN_DAYS)
            if row and row["days"]
            else STALL_DEFAULT_DAYS
        )
    return usual


def stalled_deals(
    scope: KpiScope, today: datetime.date | None = None, limit: int = 50
) -> tuple[list[StalledDeal], int]:
    """The open deals idle for longer than usual for their stage, longest idle first (at most
    `limit`), and how many there are in all. Each deal carries `idle_days` and `usual_days`."""
    today = today or timezone.localdate()
    usual = usual_days(scope, today)
    never = Value(datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC), output_field=DateTimeField())
    if rollup.covers(scope.user):
        # the open deals' last touch is kept in the rollup (fresh: usual_days refreshed it); one
        # range per stage (every stage is named), so that the (stage, last touch) index answers
        start = _start_of(today)
        per_stage = [
            Q(
                stage_id=stage_id,
                last_touch__lt=start
                - datetime.timedelta(days=usual.get(stage_id, STALL_DEFAULT_DAYS)),
                last_touch__gt=never,
            )
            for stage_id in Stage.objects.values_list("pk", flat=True)
        ]
        owners = rollup.owner_filter(scope.user, scope.team)
        idle = OpenDeal.objects.filter(owners, functools.reduce(operator.or_, per_stage))
        total = idle.count()
        in_order = ("last_touch", "deal_id")
        if rollup.everything(scope.user, scope.team):
            # the longest idle of each stage, read in the index's order, merged: the whole
            # company's tens of thousands of stalled deals are never sorted
            first = heapq.nsmallest(
                limit,
                itertools.chain.from_iterable(
                    OpenDeal.objects.filter(stage)
                    .order_by(*in_order)
                    .values_list(*in_order)[:limit]
                    for stage in per_stage
                ),
            )
        else:
            first = list(idle.order_by(*in_order).values_list(*in_order)[:limit])
        touched = {pk: touch for touch, pk in first}
        shown = {
            deal.pk: deal
            for deal in Deal.objects.filter(pk__in=touched).select_related(
                "owner", "stage", "account"
            )
        }
        rows = cast("list[StalledDeal]", [shown[pk] for _touch, pk in first if pk in shown])
        for deal in rows:
            deal.last_touch = touched[deal.pk]
    else:
        deadline = Case(
            *[
                When(
                    stage_id=stage_id,
                    then=Value(_start_of(today) - datetime.timedelta(days=days)),
                )
                for stage_id, days in usual.items()
            ],
            default=Value(_start_of(today) - datetime.timedelta(days=STALL_DEFAULT_DAYS)),
            output_field=DateTimeField(),
        )
        deals = (
            scope.deals()
            .filter(stage__outcome=StageOutcome.OPEN)
            .annotate(last_touch=rollup.last_touch(), deadline=deadline)
            .filter(last_touch__lt=F("deadline"), last_touch__gt=never)
        )
        # One pass over the open deals: every stalled id in order, the first `limit` in full.
        ranked = list(deals.order_by("last_touch", "pk").values_list("pk", flat=True))
        shown = {
            deal.pk: deal
            for deal in deals.filter(pk__in=ranked[:limit]).select_related(
                "owner", "stage", "account"
            )
        }
        rows = cast("list[StalledDeal]", [shown[pk] for pk in ranked[:limit]])
        total = len(ranked)
    for deal in rows:
        deal.idle_days = (today - timezone.localdate(deal.last_touch)).days
        deal.usual_days = round(usual.get(deal.stage_id, STALL_DEFAULT_DAYS))
    return rows, total
