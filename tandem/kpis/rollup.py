"""The KPI rollups (tandem.kpis.models): built in bulk, refreshed per owner, read by the KPIs.

The Head of Sales' cockpit would otherwise scan every deal and stage change of the company for
each figure (8.5 s at a million deals). The rollups fold them per owner and month (or day), so
a quarter of the whole company is a few thousand rows, whatever the number of deals.

Fresh without anyone having to remember it, and never by a page (reads only read):
- every service that writes deals, stage changes, activities, quotas or a person's team says
  which owners, accounts and teams it touched (`tandem.core.touched`); `keep`, registered in
  `KpisConfig.ready`, marks them stale (rows of `Stale`, in the writing transaction) and asks
  for the job `kpis.refresh` (tandem/kpis/jobs.py) unless one waits already; a worker runs it
  once the write commits, within seconds. The bulk upserts of the imports say so too
  (`pipeline.bulk.upsert_deals`: exactly the owners and accounts it changed);
- rows inserted past the services (the demo's row writers) have ids above the highest ids the
  rollups have seen: their owners and accounts are stale too, found by the same job, which
  also runs every minute;
- `refresh()` recomputes the rows of the stale owners and accounts (one cheap query when
  nothing changed). A full rebuild (`rebuild()`, `tandem kpis_rollup --rebuild`) runs on the
  first refresh, after `mark_everything_stale()` (the demo's reset, `touched_everything`) and
  whenever ids went backwards (rows deleted in bulk).

Everything is grouped by the deal's *owner*; the team rows (`TeamMonth`, `TeamQuota`) sum the
owners' rows and the quotas per team, so a rep moving to another team touches both teams. A
Key Account Manager also sees deals of their accounts owned by others: their KPIs keep reading
the deals themselves (`covers`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import (
    DateTimeField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone

from tandem.activities.models import Activity
from tandem.core.touched import Touch
from tandem.jobs.services import enqueue_unless_waiting
from tandem.kpis.models import (
    ActivityMonth,
    CompanyMonth,
    CompanyVisitDay,
    CompanyVisitMonth,
    DealMonth,
    FirstWin,
    OpenDeal,
    RollupState,
    Stale,
    TeamMonth,
    TeamQuota,
    VisitDay,
    VisitMonth,
)
from tandem.pipeline.models import Deal, Stage, StageChange, StageOutcome
from tandem.quotas.models import Quota
from tandem.users.models import Role, User
from tandem.users.selectors import managed_user_ids

CHUNK = 500  # ids per IN (…) list
NEVER = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)

_DEAL = Deal._meta.db_table
_STAGE = Stage._meta.db_table
_CHANGE = StageChange._meta.db_table
_ACTIVITY = Activity._meta.db_table


# --- who may read the rollups, and which rows ---------------------------------------------


def covers(user: User) -> bool:
    """True when the user's visible deals are exactly the deals of some owners (everyone but
    a Key Account Manager, who also sees other owners' deals on their accounts)."""
    return user.sees_everything or user.role != Role.KEY_ACCOUNT_MANAGER


def owner_filter(user: User, team=None) -> Q:
    """The rollup rows of the deals the user sees (see `covers`), within `team` if given."""
    condition = Q()
    if not user.sees_everything:
        condition &= Q(owner_id__in=managed_user_ids(user))
    if team is not None:
        condition &= Q(owner__team=team)
    return condition


# --- marking stale ------------------------------------------------------------------------


def mark_stale(
    owners: Iterable[int | None] = (),
    accounts: Iterable[int | None] = (),
    teams: Iterable[int | None] = (),
) -> None:
    rows = [Stale(owner_id=pk) for pk in set(owners) if pk is not None]
    rows += [Stale(account_id=pk) for pk in set(accounts) if pk is not None]
    # a team of None: the people without a team (a row naming nothing)
    rows += [Stale(team_id=pk) for pk in set(teams)]
    if rows:
        Stale.objects.bulk_create(rows)
        ask_for_refresh()


def ask_for_refresh() -> None:
    enqueue_unless_waiting("kpis.refresh")


def mark_everything_stale() -> None:
    """The next refresh rebuilds every rollup (after bulk writes past the services)."""
    RollupState.objects.update(complete=False)
    ask_for_refresh()


# the records the rollups are folded from (tandem.core.touched)
FOLLOWS = ("deals", "activities", "quotas", "teams")


def keep(touch: Touch) -> None:
    """What a write touched (tandem.core.touched; registered in KpisConfig.ready)."""
    if touch.everything:
        mark_everything_stale()
    else:
        mark_stale(touch.owners, touch.accounts, touch.teams)


# --- keeping fresh ------------------------------------------------------------------------


def _fingerprint() -> tuple:
    """One query: the highest ids now, whether stale rows wait, and the state recorded."""
    state = RollupState._meta.db_table
    stale = Stale._meta.db_table
    sql = f"""
        SELECT (SELECT MAX(id) FROM {_DEAL}), (SELECT MAX(id) FROM {_CHANGE}),
               (SELECT MAX(id) FROM {_ACTIVITY}), (SELECT MAX(id) FROM {stale}),
               (SELECT complete FROM {state} WHERE id = 1),
               (SELECT deal_max FROM {state} WHERE id = 1),
               (SELECT change_max FROM {state} WHERE id = 1),
               (SELECT activity_max FROM {state} WHERE id = 1)
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        deal, change, activity, stale_max, complete, *seen = cursor.fetchone()
    now = (deal or 0, change or 0, activity or 0)
    return now, stale_max, bool(complete), tuple(seen) if seen[0] is not None else None


def refresh() -> bool:
    """Bring the rollups up to date (see the module's docstring); False when nothing had
    changed (one cheap query)."""
    now, stale_max, complete, seen = _fingerprint()
    if complete and seen == now and stale_max is None:
        return False
    _refresh_locked()
    return True


def _refresh_locked() -> None:
    with transaction.atomic():
        state, _created = RollupState.objects.select_for_update().get_or_create(pk=1)
        now, stale_max, complete, seen = _fingerprint()  # another request may have done it
        if not state.complete or any(n < s for n, s in zip(now, seen or now, strict=True)):
            _rebuild_all()
        else:
            owners, accounts, teams = _stale_since(state, stale_max)
            if owners or accounts or teams:
                _refresh(owners, accounts, teams)
        if stale_max is not None:
            Stale.objects.filter(pk__lte=stale_max).delete()
        state.complete = True
        state.deal_max, state.change_max, state.activity_max = now
        state.save()


def rebuild() -> None:
    """Every rollup from scratch (after the demo or a bulk import)."""
    mark_everything_stale()
    refresh()


def _stale_since(state: RollupState, stale_max: int | None) -> tuple[set, set, set]:
    owners: set = set()
    accounts: set = set()
    teams: set = set()
    without_team = False
    if stale_max is not None:
        for owner, account, team in Stale.objects.filter(pk__lte=stale_max).values_list(
            "owner_id", "account_id", "team_id"
        ):
            owners.add(owner)
            accounts.add(account)
            teams.add(team)
            without_team = without_team or (owner is None and account is None and team is None)
    written = [
        Deal.objects.filter(pk__gt=state.deal_max).values_list("owner_id", "account_id"),
        StageChange.objects.filter(pk__gt=state.change_max).values_list(
            "deal__owner_id", "deal__account_id"
        ),
        Activity.objects.filter(pk__gt=state.activity_max, deal__isnull=False).values_list(
            "deal__owner_id", "deal__account_id"
        ),
        Activity.objects.filter(pk__gt=state.activity_max).values_list("owner_id", "account_id"),
    ]
    for rows in written:
        for owner, account in rows.order_by().distinct():
            owners.add(owner)
            accounts.add(account)
    owners.discard(None)
    accounts.discard(None)
    if not without_team:
        teams.discard(None)
    return owners, accounts, teams


def _chunks(ids: set) -> list[list]:
    ordered = sorted(ids)
    return [ordered[i : i + CHUNK] for i in range(0, len(ordered), CHUNK)]


ROLLUPS = (
    DealMonth,
    FirstWin,
    VisitMonth,
    VisitDay,
    OpenDeal,
    ActivityMonth,
    CompanyMonth,
    CompanyVisitMonth,
    CompanyVisitDay,
    TeamMonth,
    TeamQuota,
)
# the whole company's rows summed from the owners' rows: (owner table, company table, the
# column naming the month or day, the columns grouped by, the columns summed)
COMPANY = (
    (
        DealMonth,
        CompanyMonth,
        "month",
        ("fact", "channel_id", "reached", "outcome"),
        ("deals", "value", "cycle_deals", "cycle_days"),
    ),
    (VisitMonth, CompanyVisitMonth, "month", ("stage_id",), ("visits", "days")),
    (VisitDay, CompanyVisitDay, "day", ("stage_id",), ("visits", "days")),
)
BY_OWNER = (DealMonth, VisitMonth, VisitDay, OpenDeal, ActivityMonth)


def _rebuild_all() -> None:
    # emptied with their id sequences reset: the same data gives the same rows, ids included
    tables = [model._meta.db_table for model in ROLLUPS]
    for statement in connection.ops.sql_flush(no_style(), tables, reset_sequences=True):
        _execute(statement, [])
    _build(None)
    _build_first_wins(None)
    _build_teams(None)
    for owners_table, company_table, when, keys, sums in COMPANY:
        _sum_company(owners_table, company_table, when, keys, sums, None)
    if connection.vendor == "postgresql":  # planner statistics for the new rows
        _execute(f"ANALYZE {', '.join(tables)}", [])


def _owner_rows(model, when: str, keys: tuple, sums: tuple, owners: list) -> set:
    rows = model.objects.filter(owner_id__in=owners).values_list(when, *keys, *sums)
    return {tuple(round(v, 6) if isinstance(v, float) else v for v in row) for row in rows}


def _refresh(owners: set, accounts: set, teams_touched: Iterable = frozenset()) -> None:
    teams = set(teams_touched)
    teams |= set(User.objects.filter(pk__in=owners).values_list("team_id", flat=True))
    without_team = None in teams  # the group of the people without a team: TeamMonth team NULL
    teams.discard(None)
    for chunk in _chunks(owners):
        before = {c[0]: _owner_rows(c[0], c[2], c[3], c[4], chunk) for c in COMPANY}
        for model in BY_OWNER:
            model.objects.filter(owner_id__in=chunk)._raw_delete(connection.alias)
        _build(chunk)
        # the company's rows change only in the months (days) whose owner rows changed
        for owners_table, company_table, when, keys, sums in COMPANY:
            after = _owner_rows(owners_table, when, keys, sums, chunk)
            changed = {row[0] for row in before[owners_table] ^ after}
            if changed:
                _sum_company(owners_table, company_table, when, keys, sums, sorted(changed))
    for chunk in _chunks(teams):
        for team_table in (TeamMonth, TeamQuota):
            team_table.objects.filter(team_id__in=chunk)._raw_delete(connection.alias)
        _build_teams(chunk)
    if without_team:
        for team_table in (TeamMonth, TeamQuota):
            team_table.objects.filter(team__isnull=True)._raw_delete(connection.alias)
        _build_teams([], without_team=True)
    for chunk in _chunks(accounts):
        FirstWin.objects.filter(account_id__in=chunk)._raw_delete(connection.alias)
        _build_first_wins(chunk)


# --- the SQL that folds the deals -----------------------------------------------------------


def _month(sql: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {sql}) AS date)"
    return f"date({sql}, 'start of month')"


def _cycle_days() -> str:
    if connection.vendor == "postgresql":
        return "(d.closed_on - COALESCE(d.engaged_on, d.created_on))"
    return (
        "CAST(julianday(d.closed_on) - julianday(COALESCE(d.engaged_on, d.created_on)) AS INTEGER)"
    )


def _dwell_days() -> str:
    if connection.vendor == "postgresql":
        return "EXTRACT(EPOCH FROM (v.changed_at - v.entered_at)) / 86400.0"
    return "julianday(v.changed_at) - julianday(v.entered_at)"


def _execute(sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _where(column: str, ids: list | None) -> tuple[str, list]:
    """`column IN (ids)`, or everything when ids is None."""
    if ids is None:
        return "1 = 1", []
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


OPEN, WON, LOST = (f"'{o.value}'" for o in (StageOutcome.OPEN, StageOutcome.WON, StageOutcome.LOST))


def _build(owners: list | None) -> None:
    """The rollup rows of the deals of these owners (of everyone when None)."""
    where, params = _where("d.owner_id", owners)
    table = DealMonth._meta.db_table
    columns = (
        "month, fact, owner_id, channel_id, reached, outcome, deals, value, cycle_deals, cycle_days"
    )
    cycle = _cycle_days()
    for fact, outcome, month, cycle_columns in (
        ("won", WON, "d.closed_on", f"COUNT({cycle}), COALESCE(SUM({cycle}), 0)"),
        ("lost", LOST, "d.closed_on", "0, 0"),
        ("closing", OPEN, "d.expected_close_on", "0, 0"),
    ):
        _execute(
            f"""INSERT INTO {table} ({columns})
            SELECT {_month(month)}, '{fact}', d.owner_id, d.channel_id, -1, '',
                   COUNT(*), SUM(d.value), {cycle_columns}
            FROM {_DEAL} d JOIN {_STAGE} s ON s.id = d.stage_id
            WHERE s.outcome = {outcome} AND {month} IS NOT NULL AND {where}
            GROUP BY 1, 2, 3, 4""",  # noqa: S608
            params,
        )
    _execute(
        f"""INSERT INTO {table} ({columns})
        SELECT {_month("d.created_on")}, 'created', d.owner_id, d.channel_id,
               COALESCE(r.position, CASE WHEN s.outcome = {OPEN} THEN s.position ELSE -1 END),
               s.outcome, COUNT(*), SUM(d.value), 0, 0
        FROM {_DEAL} d JOIN {_STAGE} s ON s.id = d.stage_id
        LEFT JOIN (
            SELECT c.deal_id, MAX(t.position) AS position
            FROM {_CHANGE} c JOIN {_STAGE} t ON t.id = c.to_stage_id
            WHERE t.outcome = {OPEN} AND c.deal_id IN (SELECT d.id FROM {_DEAL} d WHERE {where})
            GROUP BY c.deal_id
        ) r ON r.deal_id = d.id
        WHERE d.created_on IS NOT NULL AND {where}
        GROUP BY 1, 2, 3, 4, 5, 6""",  # noqa: S608
        params + params,
    )
    _build_visits(where, params)
    _build_open_deals(owners)
    _build_activities(owners)


def _build_visits(where: str, params: list) -> None:
    """Every stage change ends the visit the deal's previous change began (LAG over the deal's
    changes in time order); counted per owner, stage entered and local day/month it ended."""
    tz = timezone.get_current_timezone_name()
    day_sql, day_params = connection.ops.datetime_cast_date_sql("v.changed_at", (), tz)
    for model, column, key in (
        (VisitDay, "day", day_sql),
        (VisitMonth, "month", _month(day_sql)),
    ):
        _execute(
            f"""INSERT INTO {model._meta.db_table} ({column}, owner_id, stage_id, visits, days)
            SELECT {key}, v.owner_id, v.stage_id, COUNT(*), SUM({_dwell_days()})
            FROM (
                SELECT c.changed_at, d.owner_id,
                       LAG(c.to_stage_id) OVER w AS stage_id,
                       LAG(c.changed_at) OVER w AS entered_at
                FROM {_CHANGE} c JOIN {_DEAL} d ON d.id = c.deal_id
                WHERE {where}
                WINDOW w AS (PARTITION BY c.deal_id ORDER BY c.changed_at, c.id)
            ) v
            WHERE v.entered_at IS NOT NULL
            GROUP BY 1, 2, 3""",  # noqa: S608
            [*day_params, *params],
        )


def _build_activities(owners: list | None) -> None:
    where, params = _where("a.owner_id", owners)
    tz = timezone.get_current_timezone_name()
    day_sql, day_params = connection.ops.datetime_cast_date_sql("a.occurred_at", (), tz)
    _execute(
        f"""INSERT INTO {ActivityMonth._meta.db_table} (month, owner_id, activities)
        SELECT {_month(day_sql)}, a.owner_id, COUNT(*) FROM {_ACTIVITY} a
        WHERE {where} GROUP BY 1, 2""",  # noqa: S608
        [*day_params, *params],
    )


def last_touch() -> Greatest:
    """The latest of a deal's last stage change, last activity and creation day."""
    last_move = (
        StageChange.objects.filter(deal_id=OuterRef("pk"))
        .order_by("-changed_at")
        .values("changed_at")[:1]
    )
    last_activity = (
        Activity.objects.filter(deal_id=OuterRef("pk"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    never = Value(NEVER, output_field=DateTimeField())
    return Greatest(
        Coalesce(Subquery(last_move, output_field=DateTimeField()), never),
        Coalesce(Subquery(last_activity, output_field=DateTimeField()), never),
        Coalesce(Cast("created_on", DateTimeField()), never),
    )


def _build_open_deals(owners: list | None) -> None:
    deals = Deal.objects.filter(stage__outcome=StageOutcome.OPEN)
    if owners is not None:
        deals = deals.filter(owner_id__in=owners)
    rows = (
        deals.annotate(touch=last_touch())
        .values_list("pk", "owner_id", "stage_id", "touch")
        .order_by()
    )
    sql, select_params = rows.query.sql_with_params()
    _execute(
        f"INSERT INTO {OpenDeal._meta.db_table} (deal_id, owner_id, stage_id, last_touch) {sql}",
        select_params,
    )


def _sum_company(owners_table, company_table, when, keys, sums, dates: list | None) -> None:
    """The company rows of these months/days (all when None) from the owners' rows."""
    for start in range(0, len(dates or [None]), CHUNK):
        part = None if dates is None else dates[start : start + CHUNK]
        rows = company_table.objects.all()
        if part is not None:
            rows = rows.filter(**{f"{when}__in": part})
        rows._raw_delete(connection.alias)
        where, params = _where(when, part)
        columns = ", ".join((when, *keys, *sums))
        group = ", ".join(str(n) for n in range(1, len(keys) + 2))
        totals = ", ".join(f"SUM({column})" for column in sums)
        _execute(
            f"""INSERT INTO {company_table._meta.db_table} ({columns})
            SELECT {when}, {", ".join(keys)}, {totals}
            FROM {owners_table._meta.db_table} WHERE {where} GROUP BY {group}""",  # noqa: S608
            [connection.ops.adapt_datefield_value(d) for d in params],
        )


def _build_teams(teams: list | None, without_team: bool = False) -> None:
    """The team rows (TeamMonth from the owners' rows, TeamQuota from the quotas) of these
    teams (every team and the people without one when None; only the people without a team
    with `without_team`)."""

    def where(column: str) -> tuple[str, list]:
        return (f"{column} IS NULL", []) if without_team else _where(column, teams)

    condition, params = where("u.team_id")
    columns = "month, team_id, fact, deals, value, cycle_deals, cycle_days"
    _execute(
        f"""INSERT INTO {TeamMonth._meta.db_table} ({columns})
        SELECT m.month, u.team_id, m.fact, SUM(m.deals), SUM(m.value), SUM(m.cycle_deals),
               SUM(m.cycle_days)
        FROM {DealMonth._meta.db_table} m JOIN {User._meta.db_table} u ON u.id = m.owner_id
        WHERE {condition}
        GROUP BY 1, 2, 3""",  # noqa: S608
        params,
    )
    # a person's quota counts for their team now, a team's own quota for the team
    condition, params = where("COALESCE(q.team_id, u.team_id)")
    columns = "metric, period_start, period_end, team_id, own, members"
    _execute(
        f"""INSERT INTO {TeamQuota._meta.db_table} ({columns})
        SELECT q.metric, q.period_start, q.period_end, COALESCE(q.team_id, u.team_id),
               SUM(CASE WHEN q.team_id IS NOT NULL THEN q.target END),
               SUM(CASE WHEN q.team_id IS NULL THEN q.target END)
        FROM {Quota._meta.db_table} q LEFT JOIN {User._meta.db_table} u ON u.id = q.user_id
        WHERE {condition}
        GROUP BY 1, 2, 3, 4""",  # noqa: S608
        params,
    )


def everything(user, team=None) -> bool:
    """True when the user's scope is the whole company: the company rollups answer."""
    return user.sees_everything and team is None


def _build_first_wins(accounts: list | None) -> None:
    where, params = _where("d.account_id", accounts)
    _execute(
        f"""INSERT INTO {FirstWin._meta.db_table}
            (deal_id, account_id, closed_on, owner_id, channel_id)
        SELECT d.id, d.account_id, d.closed_on, d.owner_id, d.channel_id
        FROM {_DEAL} d JOIN {_STAGE} s ON s.id = d.stage_id
        WHERE s.outcome = {WON} AND d.account_id IS NOT NULL AND d.closed_on IS NOT NULL
          AND {where}
          AND NOT EXISTS (
              SELECT 1 FROM {_DEAL} e JOIN {_STAGE} es ON es.id = e.stage_id
              WHERE e.account_id = d.account_id AND es.outcome = {WON}
                AND e.closed_on < d.closed_on
          )""",  # noqa: S608
        params,
    )
