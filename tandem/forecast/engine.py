"""Tandem's forecast of won value and its backtest (method and numbers: docs/forecast.md).

Everything here reads the history *as of* a date: a deal counts from its first StageChange
before that date, its stage then is the last StageChange before it, its close is the terminal
change before it. Deal rows themselves only give the owner, the product and the value; the
value of a deal that was open on the as-of date is the value known then (the product's list
price when the deal has a priced product, else the deal's value), because an imported deal's
value holds its close value (0 for lost deals) once closed. No other field is read, so
nothing that happened on or after the as-of date can reach the forecast.

The aggregations run in the database (one grouped query for the deal facts, a few sums); the
survival tables are built in Python from the grouped rows (one row per start day, end day and
outcome), never from deal rows.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce, Lead, TruncDate
from django.utils import timezone

from tandem.core.errors import DomainError
from tandem.core.periods import Period as ReportingPeriod
from tandem.core.replicas import reads_database
from tandem.pipeline.models import Deal, StageChange, StageOutcome

Z80 = 1.2815515655446004  # standard normal quantile of 90 %: a central 80 % interval
PRIOR_LOG_SIGMA = 0.3  # spread used before the organisation has any past forecast error
ERROR_HISTORY = 12  # past periods whose errors set the interval
NEW_DEAL_PERIODS = 3  # past periods whose new-deal volume predicts the next one
SEASON = {"month": 3, "quarter": 4}  # periods per season: months of a quarter, quarters of a year
PERIOD_KINDS = ("month", "quarter")


# --- periods --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date  # exclusive

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def shift(self, n: int) -> Period:
        return period_containing(_add_months(self.start, n * _months(self.kind)), self.kind)


def _months(kind: str) -> int:
    return 3 if kind == "quarter" else 1


def _add_months(day: datetime.date, n: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_containing(day: datetime.date, kind: str = "month") -> Period:
    if kind not in PERIOD_KINDS:
        raise ValueError(kind)
    month = day.month if kind == "month" else (day.month - 1) // 3 * 3 + 1
    start = datetime.date(day.year, month, 1)
    return Period(kind, start, _add_months(start, _months(kind)))


def parse_period(text: str, kind: str = "month") -> Period:
    """A month (`2017-04`) or a quarter (`2017Q2` or `2017-Q2`), written as everywhere in Tandem
    (tandem.core.periods); a month also names the quarter that holds it when kind is quarter.
    Anything else, a year included, is a ValueError."""

    try:
        found = ReportingPeriod.parse(text)
    except DomainError as error:
        raise ValueError(text) from error
    if found.kind not in PERIOD_KINDS:
        raise ValueError(text)
    return period_containing(found.start, kind)


def at_start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


# --- what was known on a date ---------------------------------------------------------------


@dataclass
class Facts:
    """The deal history as known at the start of `as_of`, grouped."""

    as_of: datetime.date
    # (start day, end day or None, outcome then) -> (deals, value known then)
    groups: dict[tuple[datetime.date, datetime.date | None, str], tuple[int, Decimal]]

    def open_by_age(self) -> dict[int, Decimal]:
        ages: dict[int, Decimal] = defaultdict(Decimal)
        for (start, _end, outcome), (_n, value) in self.groups.items():
            if outcome == StageOutcome.OPEN:
                ages[(self.as_of - start).days] += value
        return ages

    @property
    def open_value(self) -> Decimal:
        return sum(self.open_by_age().values(), Decimal(0))

    def closed_counts(self) -> tuple[int, int]:
        won = lost = 0
        for (_s, _e, outcome), (n, _v) in self.groups.items():
            if outcome == StageOutcome.WON:
                won += n
            elif outcome == StageOutcome.LOST:
                lost += n
        return won, lost

    @property
    def win_rate(self) -> float | None:
        won, lost = self.closed_counts()
        return won / (won + lost) if won + lost else None

    def started_between(self, start: datetime.date, end: datetime.date) -> tuple[int, Decimal]:
        n, value = 0, Decimal(0)
        for (day, _e, _o), (count, known) in self.groups.items():
            if start <= day < end:
                n += count
                value += known
        return n, value

    @property
    def first_close(self) -> datetime.date | None:
        ends = [end for (_s, end, outcome) in self.groups if outcome != StageOutcome.OPEN and end]
        return min(ends) if ends else None


def _folded(changes: QuerySet[StageChange]) -> tuple[str, tuple]:
    """SQL of the stage changes folded per deal: first day, last terminal day, whether the
    last change was won/lost/open, how many terminal changes, and the value known while open."""
    terminal = ~Q(to_stage__outcome=StageOutcome.OPEN)
    per_deal = (
        changes.values("deal_id")
        .annotate(
            start_day=TruncDate(Min("changed_at")),
            end_day=TruncDate(Max("changed_at", filter=terminal)),
            last_at=Max("changed_at"),
            terminal_at=Max("changed_at", filter=terminal),
            won_at=Max("changed_at", filter=Q(to_stage__outcome=StageOutcome.WON)),
            terminals=Count("id", filter=terminal),
            known=Max(Coalesce("deal__product__list_price", "deal__value")),
            value=Max("deal__value"),
        )
        .order_by()
    )
    return per_deal.query.sql_with_params()


OUTCOME_SQL = (
    "CASE WHEN d.terminal_at = d.last_at THEN "
    "(CASE WHEN d.won_at = d.last_at THEN %s ELSE %s END) ELSE %s END"
)
OUTCOME_CODES = (StageOutcome.WON.value, StageOutcome.LOST.value, StageOutcome.OPEN.value)
# a deal closed at most once and never moved after it: its state on any day follows from
# its first day and its close
SIMPLE_SQL = "d.terminals = 0 OR (d.terminals = 1 AND d.terminal_at = d.last_at)"


def _grouped(inner: str, params: tuple, where: str = "") -> dict:
    sql = (
        f"SELECT d.start_day, d.end_day, {OUTCOME_SQL} AS outcome, COUNT(*), SUM(d.known) "  # noqa: S608
        f"FROM ({inner}) d {where} GROUP BY d.start_day, d.end_day, {OUTCOME_SQL}"
    )
    groups: dict = {}
    with connections[reads_database()].cursor() as cursor:
        cursor.execute(sql, (*OUTCOME_CODES, *params, *OUTCOME_CODES))
        for start, end, state, n, known in cursor.fetchall():
            _add_group(groups, start, end, state, n, known)
    return groups


def _add_group(groups: dict, start, end, state: str, n: int, known) -> None:
    """A grouped row (from a raw query: days may be text) into the groups of `Facts`: an open
    deal's end day is its last terminal day before it was reopened, which the facts ignore."""
    key = (_as_date(start), _as_date(end) if state != StageOutcome.OPEN else None, state)
    count, value = groups.get(key, (0, Decimal(0)))
    groups[key] = (count + n, value + Decimal(str(known or 0)))


def facts_as_of(deals: QuerySet[Deal], as_of: datetime.date) -> Facts:
    """One query: the stage changes before the as-of date, folded per deal (first change, last
    change, last terminal and last won change), then counted per start day, end day and
    outcome then. A deal's outcome then is that of its last change: won or lost when that
    change went to a won or lost stage, else open."""
    changes = StageChange.objects.filter(changed_at__lt=at_start_of(as_of), deal__in=deals)
    inner, params = _folded(changes)
    return Facts(as_of, _grouped(inner, params))


@dataclass
class History:
    """All stage changes of a set of deals folded once, so that the facts of any as-of date
    follow without another query: a deal that closed at most once and never moved afterwards
    was open from its first day until its close. The few other deals (reopened, closed twice)
    are read with `facts_as_of` for each date."""

    simple: dict
    others: list[int]
    won_by_day: dict[datetime.date, Decimal]  # won value of the simple deals per close day

    @classmethod
    def of(cls, deals: QuerySet[Deal]) -> History:
        """One pass over the stage changes: the simple deals grouped as `_grouped` groups them,
        with their value (what the won ones won); the ids of the others only when there are
        any."""
        inner, params = _folded(StageChange.objects.filter(deal__in=deals))
        simple: dict = {}
        won_by_day: dict[datetime.date, Decimal] = defaultdict(Decimal)
        has_others = False
        with connections[reads_database()].cursor() as cursor:
            cursor.execute(
                f"SELECT d.start_day, d.end_day, {OUTCOME_SQL} AS outcome, {SIMPLE_SQL}, "  # noqa: S608
                f"COUNT(*), SUM(d.known), SUM(d.value) FROM ({inner}) d "
                f"GROUP BY d.start_day, d.end_day, {OUTCOME_SQL}, {SIMPLE_SQL}",
                (*OUTCOME_CODES, *params, *OUTCOME_CODES),
            )
            for start, end, state, is_simple, n, known, value in cursor.fetchall():
                if not is_simple:
                    has_others = True
                    continue
                _add_group(simple, start, end, state, n, known)
                if state == StageOutcome.WON:
                    won_by_day[_as_day(end)] += Decimal(str(value or 0))
            others: list[int] = []
            if has_others:
                cursor.execute(
                    f"SELECT d.deal_id FROM ({inner}) d WHERE NOT ({SIMPLE_SQL})",  # noqa: S608
                    params,
                )
                others = [row[0] for row in cursor.fetchall()]
        return cls(simple, others, dict(won_by_day))

    def won_between(self, start: datetime.date, end: datetime.date) -> Decimal:
        """Won value of the deals won in [start, end): the simple ones from the folded rows,
        the others (reopened, closed twice) read for the period."""
        total = sum(
            (value for day, value in self.won_by_day.items() if start <= day < end), Decimal(0)
        )
        if self.others:
            total += won_value_between(Deal.objects.filter(pk__in=self.others), start, end)
        return total

    def facts(self, as_of: datetime.date) -> Facts:
        groups: dict = {}
        for (start, end, outcome), (n, value) in self.simple.items():
            if start >= as_of:
                continue
            key = (
                (start, end, outcome) if end is not None and end < as_of else (start, None, "open")
            )
            count, total = groups.get(key, (0, Decimal(0)))
            groups[key] = (count + n, total + value)
        if self.others:
            extra = facts_as_of(Deal.objects.filter(pk__in=self.others), as_of)
            for key, (n, value) in extra.groups.items():
                count, total = groups.get(key, (0, Decimal(0)))
                groups[key] = (count + n, total + value)
        return Facts(as_of, groups)


def _as_date(value) -> datetime.date | None:
    """SQLite hands dates back as text from a raw query."""
    return None if value is None else _as_day(value)


def _as_day(value) -> datetime.date:
    """A day that is never NULL, from a raw query (text on SQLite)."""
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def stage_weighted_as_of(deals: QuerySet[Deal], as_of: datetime.date) -> Decimal:
    """Open deals on the as-of date × the win probability of their stage then: the last stage
    change of each deal before that date (no later one before it), when it went to an open
    stage."""
    moment = at_start_of(as_of)
    later = StageChange.objects.filter(deal_id=OuterRef("deal_id"), changed_at__lt=moment).filter(
        Q(changed_at__gt=OuterRef("changed_at"))
        | Q(changed_at=OuterRef("changed_at"), id__gt=OuterRef("id"))
    )
    value = Coalesce(
        "deal__product__list_price",
        "deal__value",
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    # divided by 100 here: SQLite would divide whole numbers as integers
    total = (
        StageChange.objects.filter(
            changed_at__lt=moment, deal__in=deals, to_stage__outcome=StageOutcome.OPEN
        )
        .exclude(Exists(later))
        .aggregate(total=Sum(value * F("to_stage__win_probability")))["total"]
    )
    return Decimal(total or 0) / 100


@dataclass
class StageWeighted:
    """`stage_weighted_as_of` for every as-of date from one read: each stage change into an
    open stage counts from the day after it until the day of the deal's next change (that
    day included: the next change is then not yet before the as-of date's start), so the
    open deals' stage-weighted value per day is a running sum of what starts and ends counting
    on each day. Equal to reading the last change before each date (tested), without a query
    per date: a backtest asks for a dozen dates."""

    days: list[datetime.date]  # the days the sum changes on, in order
    totals: list[Decimal]  # the sum from that day on (the value × win probability, in %)

    @classmethod
    def of(cls, deals: QuerySet[Deal]) -> StageWeighted:
        order = [F("changed_at").asc(), F("id").asc()]
        value = Coalesce(
            "deal__product__list_price",
            "deal__value",
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
        spans = StageChange.objects.filter(deal__in=deals).values(
            outcome=F("to_stage__outcome"),
            first_day=TruncDate("changed_at"),
            next_day=Window(
                Lead(TruncDate("changed_at")), partition_by=F("deal_id"), order_by=order
            ),
            weight=ExpressionWrapper(
                value * F("to_stage__win_probability"),
                output_field=DecimalField(max_digits=20, decimal_places=2),
            ),
        )
        inner, params = spans.order_by().query.sql_with_params()
        changes: dict[datetime.date, Decimal] = defaultdict(Decimal)
        with connections[reads_database()].cursor() as cursor:
            cursor.execute(
                f"SELECT s.first_day, s.next_day, SUM(s.weight) FROM ({inner}) s "  # noqa: S608
                "WHERE s.outcome = %s GROUP BY s.first_day, s.next_day",
                (*params, StageOutcome.OPEN.value),
            )
            for first, following, weight in cursor.fetchall():
                amount = Decimal(str(weight or 0))
                changes[_as_day(first) + datetime.timedelta(days=1)] += amount
                if following is not None:
                    changes[_as_day(following) + datetime.timedelta(days=1)] -= amount
        days = sorted(changes)
        return cls(days, list(itertools.accumulate(changes[day] for day in days)))

    def as_of(self, day: datetime.date) -> Decimal:
        at = bisect.bisect_right(self.days, day)
        return (self.totals[at - 1] if at else Decimal(0)) / 100


def won_value_between(deals: QuerySet[Deal], start: datetime.date, end: datetime.date) -> Decimal:
    """Won value of the deals whose move to a won stage falls in [start, end)."""
    won = StageChange.objects.filter(
        deal_id=OuterRef("pk"),
        to_stage__outcome=StageOutcome.WON,
        changed_at__gte=at_start_of(start),
        changed_at__lt=at_start_of(end),
    )
    total = deals.filter(Exists(won)).aggregate(total=Sum("value"))["total"]
    return Decimal(total or 0)


# --- the survival model ---------------------------------------------------------------------


@dataclass
class Survival:
    """Discrete-time competing-risk hazards by age in days: of the deals still open at age t,
    the share won (lost) on that day. Deals still open on the as-of date are censored."""

    won: list[float]
    lost: list[float]

    @classmethod
    def learn(cls, facts: Facts) -> Survival:
        size = 1
        for start, end, _o in facts.groups:
            size = max(size, ((end or facts.as_of) - start).days + 2)
        at_risk = [0] * (size + 1)
        won = [0] * size
        lost = [0] * size
        for (start, end, outcome), (n, _v) in facts.groups.items():
            if outcome == StageOutcome.OPEN:
                last = (facts.as_of - start).days - 1  # open through yesterday
            else:
                assert end is not None  # a closed group has its close day
                last = (end - start).days
                (won if outcome == StageOutcome.WON else lost)[last] += n
            if last >= 0:
                at_risk[0] += n
                at_risk[last + 1] -= n
        running = 0
        hazard_won, hazard_lost = [0.0] * size, [0.0] * size
        for age in range(size):
            running += at_risk[age]
            if running:
                hazard_won[age] = won[age] / running
                hazard_lost[age] = lost[age] / running
        return cls(hazard_won, hazard_lost)

    def __post_init__(self) -> None:
        # alive[t]: share still open at age t; gained[t]: share won before age t
        self.alive, self.gained = [1.0], [0.0]
        for won, lost in zip(self.won, self.lost, strict=True):
            self.gained.append(self.gained[-1] + self.alive[-1] * won)
            self.alive.append(self.alive[-1] * (1 - won - lost))

    def win_within(self, age: int, days: int, skip: int = 0) -> float:
        """Probability that a deal open at `age` is won within the next `days` days, not
        counting a win in the first `skip` of them."""
        age = max(age, 0)
        last = len(self.won)
        if age >= last:
            return 0.0
        first, end = min(age + skip, last), min(age + days, last)
        if end <= first:
            return 0.0
        if self.alive[age] > 1e-12:
            return (self.gained[end] - self.gained[first]) / self.alive[age]
        alive, won = 1.0, 0.0
        for t in range(age, end):
            if t >= first:
                won += alive * self.won[t]
            alive *= 1 - self.won[t] - self.lost[t]
        return won


# --- the forecast ---------------------------------------------------------------------------


@dataclass
class Forecast:
    period: Period
    as_of: datetime.date
    closed: Decimal  # won so far in the period
    open_part: float  # expected won value from deals open on the as-of date
    new_part: float  # expected won value from deals that start inside the period
    seasonal: float | None  # same period one season ago (scaled to the days left)
    forecast: float
    low: float
    high: float
    weighted_pipeline: float  # open deals × stage win probability then
    win_rate_pipeline: float  # open deals × win rate so far
    last_period: float  # last period's actual
    log_sigma: float
    past_errors: int = 0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "period": self.period.label,
            "as_of": self.as_of.isoformat(),
            "closed": round(float(self.closed), 2),
            "forecast": round(self.forecast, 2),
            "low": round(self.low, 2),
            "high": round(self.high, 2),
            "weighted_pipeline": round(self.weighted_pipeline, 2),
            "win_rate_pipeline": round(self.win_rate_pipeline, 2),
            "last_period": round(self.last_period, 2),
        }


class Forecaster:
    """Forecasts for one set of deals (company, a team or a rep). Point forecasts of past
    periods are cached, so a backtest and the interval's error history share the work."""

    def __init__(self, deals: QuerySet[Deal], kind: str = "month"):
        if kind not in PERIOD_KINDS:
            raise ValueError(kind)
        self.deals = deals
        self.kind = kind
        self._facts: dict[datetime.date, Facts] = {}
        self._actual: dict[Period, Decimal] = {}
        self._points: dict[datetime.date, tuple[float, float, float | None]] = {}
        self._history: History | None = None
        self._stage_weighted: StageWeighted | None = None

    def facts(self, as_of: datetime.date) -> Facts:
        if as_of not in self._facts:
            self._facts[as_of] = self.history.facts(as_of)
        return self._facts[as_of]

    @property
    def history(self) -> History:
        if self._history is None:
            self._history = History.of(self.deals)
        return self._history

    def stage_weighted(self, as_of: datetime.date) -> Decimal:
        if self._stage_weighted is None:
            self._stage_weighted = StageWeighted.of(self.deals)
        return self._stage_weighted.as_of(as_of)

    def actual(self, period: Period) -> Decimal:
        if period not in self._actual:
            self._actual[period] = self.history.won_between(period.start, period.end)
        return self._actual[period]

    def _point(self, period: Period, as_of: datetime.date) -> tuple[float, float, float | None]:
        """(open part, new part, seasonal part) for what of `period` lies after `as_of` (the
        period may start later: the next period)."""
        facts = self.facts(as_of)
        survival = Survival.learn(facts)
        remaining = (period.end - as_of).days
        skip = max((period.start - as_of).days, 0)
        window = remaining - skip
        open_part = sum(
            float(value) * survival.win_within(age, remaining, skip)
            for age, value in facts.open_by_age().items()
        )
        # deals that will start inside the period: as many per day as in the last periods,
        # worth what they were worth, each won with the survival model from age 0
        first = period_containing(as_of, self.kind).shift(-NEW_DEAL_PERIODS)
        window_start = first.start
        n, value = facts.started_between(window_start, as_of)
        days = (as_of - window_start).days
        new_part = 0.0
        if n and days:
            per_day = n / days
            average = float(value) / n
            chance = sum(
                survival.win_within(0, remaining - d, max(skip - d, 0)) for d in range(remaining)
            )
            new_part = per_day * average * chance
        seasonal = None
        first_close = facts.first_close
        ago = period.shift(-SEASON[self.kind])
        if (
            first_close is not None
            and ago.start >= period_containing(first_close, self.kind).start
            and ago.end <= as_of
        ):
            seasonal = float(self.actual(ago)) * window / period.days
        return open_part, new_part, seasonal

    @staticmethod
    def _combine(open_part: float, new_part: float, seasonal: float | None) -> float:
        model = open_part + new_part
        return model if seasonal is None else (model + seasonal) / 2

    @staticmethod
    def last_complete(period: Period, as_of: datetime.date) -> Period:
        """The latest period before `period` that had ended by `as_of`."""
        last = period.shift(-1)
        while last.end > as_of:
            last = last.shift(-1)
        return last

    def point_at_start(self, period: Period) -> float:
        if period.start not in self._points:
            self._points[period.start] = self._point(period, period.start)
        return self._combine(*self._points[period.start])

    def past_log_errors(self, as_of: datetime.date) -> list[float]:
        """log(actual / forecast) of past periods that ended by `as_of`, each forecast from its
        own start; only periods since the first recorded close count."""
        first_close = self.facts(as_of).first_close
        if first_close is None:
            return []
        earliest = period_containing(first_close, self.kind).start
        errors: list[float] = []
        period = self.last_complete(period_containing(as_of, self.kind), as_of)
        while period.start >= earliest and len(errors) < ERROR_HISTORY:
            predicted = self.point_at_start(period)
            actual = float(self.actual(period))
            if predicted > 0 and actual > 0:
                errors.append(math.log(actual / predicted))
            period = period.shift(-1)
        return errors

    def forecast(self, period: Period, as_of: datetime.date | None = None) -> Forecast:
        as_of = min(as_of or period.start, period.end)
        facts = self.facts(as_of)
        closed = self.history.won_between(period.start, max(as_of, period.start))
        open_part, new_part, seasonal = self._point(period, as_of)
        rest = self._combine(open_part, new_part, seasonal)
        squares = [e * e for e in self.past_log_errors(as_of)]
        past = len(squares)
        if seasonal is not None and open_part + new_part > 0 and seasonal > 0:
            # the two methods' disagreement is one more sign of how uncertain the number is
            squares.append((math.log((open_part + new_part) / seasonal) / 2) ** 2)
        sigma = math.sqrt(sum(squares) / len(squares)) if squares else PRIOR_LOG_SIGMA
        win_rate = facts.win_rate or 0.0
        return Forecast(
            period=period,
            as_of=as_of,
            closed=closed,
            open_part=open_part,
            new_part=new_part,
            seasonal=seasonal,
            forecast=float(closed) + rest,
            low=float(closed) + rest * math.exp(-Z80 * sigma),
            high=float(closed) + rest * math.exp(Z80 * sigma),
            weighted_pipeline=float(closed) + float(self.stage_weighted(as_of)),
            win_rate_pipeline=float(closed) + float(facts.open_value) * win_rate,
            last_period=float(self.actual(self.last_complete(period, as_of))),
            log_sigma=sigma,
            past_errors=past,
        )


# --- the backtest ---------------------------------------------------------------------------


def _ape(predicted: float, actual: float) -> float | None:
    return abs(predicted - actual) / actual if actual else None


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def backtest(
    deals: QuerySet[Deal], first: Period, last: Period, forecaster: Forecaster | None = None
) -> dict:
    """At each period's start from `first` to `last`, forecast with what was known then and
    compare with the won value that closed in the period."""
    forecaster = forecaster or Forecaster(deals, first.kind)
    periods = []
    period = first
    while period.start <= last.start:
        result = forecaster.forecast(period, period.start)
        actual = float(forecaster.actual(period))
        row = result.as_dict()
        row["actual"] = round(actual, 2)
        row["inside"] = result.low <= actual <= result.high
        periods.append(row)
        period = period.shift(1)

    def mape(key: str) -> float | None:
        value = _mean([_ape(row[key], row["actual"]) for row in periods])
        return None if value is None else round(value, 4)

    counted = [row for row in periods if row["actual"]]
    return {
        "period_kind": first.kind,
        "periods": periods,
        "mape_forecast": mape("forecast"),
        "mape_weighted_pipeline": mape("weighted_pipeline"),
        "mape_win_rate_pipeline": mape("win_rate_pipeline"),
        "mape_last_period": mape("last_period"),
        "interval_coverage": (
            round(sum(row["inside"] for row in counted) / len(counted), 4) if counted else None
        ),
    }
