"""Reads of compensation: who may see whose pay, the plans in force, and the payout
statement of a person for a period (computed, never stored).

The KPI values come from the functions the cockpits use: `tandem.kpis.sales.sales_kpis` on
the person's own scope (a rep: their deals and quota; a Sales Manager: their team's) and
`tandem.kam.kpis.kam_kpis_for` for a KAM. A statement is therefore always the cockpit's
numbers run through the plan's curves.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.compensation.models import (
    KAM_METRICS,
    CompanyProfile,
    CompensationPlan,
    Industry,
    Metric,
    SalaryBand,
)
from tandem.core.formatting import number, percent
from tandem.core.periods import Period, PeriodKind
from tandem.kam.kpis import kam_kpis_for
from tandem.kpis.sales import KpiScope, company_kpis
from tandem.people.payout import PayoutCurve
from tandem.pipeline.models import Deal, StageOutcome
from tandem.pipeline.selectors import visible_deals
from tandem.users.models import Role, User
from tandem.users.selectors import managed_user_ids

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ATTAINMENT_PLACES = Decimal("0.0001")  # attainment is kept to 0.01 %


# --- who sees whose pay ----------------------------------------------------------------


def visible_payees(user: User) -> QuerySet[User]:
    """Whose payouts `user` may see: their own; a Sales Manager their team's; the Head of
    Sales and sales operations everybody's."""
    if user.sees_everything:
        return User.objects.filter(is_active=True)
    return User.objects.filter(pk__in=managed_user_ids(user))


def get_payee_for(user: User, pk: int) -> User:
    return get_object_or_404(visible_payees(user), pk=pk)


def visible_plans(user: User) -> QuerySet[CompensationPlan]:
    """Role plans are company policy, open to everybody; a personal plan only to those who
    may see that person's pay."""
    plans = CompensationPlan.objects.select_related("user").prefetch_related("components")
    if user.sees_everything:
        return plans
    return plans.filter(Q(user__isnull=True) | Q(user_id__in=managed_user_ids(user)))


def get_plan_for(user: User, pk: int) -> CompensationPlan:
    return get_object_or_404(visible_plans(user), pk=pk)


# --- the plans in force in a period ---------------------------------------------------------


def _days(start: datetime.date, end: datetime.date) -> int:
    return max((end - start).days + 1, 0)


def _overlap(plan: CompensationPlan, start: datetime.date, end: datetime.date):
    first = max(plan.valid_from, start)
    last = min(plan.valid_to or end, end)
    return (first, last) if first <= last else None


@dataclass
class Segment:
    """A plan and the days of the period it covers for the person."""

    plan: CompensationPlan
    start: datetime.date
    end: datetime.date
    days: int


def plans_overlapping(period: Period) -> QuerySet[CompensationPlan]:
    """Every plan valid on at least one day of the period, with its components."""
    return (
        CompensationPlan.objects.filter(valid_from__lte=period.end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))
        .prefetch_related("components")
        .order_by("valid_from", "pk")
    )


def plans_in_force(
    person: User, period: Period, plans: Iterable[CompensationPlan] | None = None
) -> list[Segment]:
    """The person's own plans for the days they cover, their role's plan for the rest.
    `plans`: `plans_overlapping(period)` already loaded (a list of many people's payouts)."""
    if plans is None:
        plans = plans_overlapping(period).filter(
            Q(user=person) | Q(user__isnull=True, role=person.role)
        )
    candidates = [
        p for p in plans if p.user_id == person.pk or (p.user_id is None and p.role == person.role)
    ]
    personal = [p for p in candidates if p.user_id == person.pk]
    segments = []
    for plan in personal:
        first, last = _overlap(plan, period.start, period.end)
        segments.append(Segment(plan, first, last, _days(first, last)))
    for plan in candidates:
        if plan.user_id is not None:
            continue
        span = _overlap(plan, period.start, period.end)
        days = _days(*span)
        # Personal plans never overlap each other, so the days they take away add up.
        for own in personal:
            inner = _overlap(own, *span)
            if inner:
                days -= _days(*inner)
        if days > 0:
            segments.append(Segment(plan, span[0], span[1], days))
    return sorted(segments, key=lambda s: s.start)


# --- KPI values -----------------------------------------------------------------------------


@dataclass
class Adjustment:
    """A what-if: one more deal won in the period (nothing is written)."""

    value: Decimal
    new_customer: bool = False
    deal: Deal | None = None


def sales_values(person: User, period: Period, adjustment: Adjustment | None = None) -> dict:
    """metric → (KPI value, target) from the sales cockpit's KPIs on the person's scope."""
    kpis = company_kpis(KpiScope(person, period))
    won, deals, customers = kpis.won_value, kpis.deals_won, kpis.new_customers
    if adjustment is not None:
        won += adjustment.value
        deals += 1
        customers += 1 if adjustment.new_customer else 0
    return {
        Metric.WON_VALUE: (won, kpis.quota),
        Metric.DEALS_WON: (deals, kpis.quota_deals_won),
        Metric.NEW_CUSTOMERS: (customers, kpis.quota_new_customers),
    }


# The KPI of kam_kpis_for's result for each KAM metric.
KAM_KEYS = {
    Metric.ACCOUNT_GROWTH: "account_growth",
    Metric.RENEWAL_RATE: "renewal_rate",
    Metric.CROSS_SELLING: "cross_sell_success",
}


def kam_values(person: User, period: Period) -> dict:
    """metric → KPI value (a ratio, 0.1 = 10 %) from the KAM cockpit's function; the targets
    come from the plan's components."""
    kpis = kam_kpis_for(person, period)
    values = {metric: getattr(kpis, key) for metric, key in KAM_KEYS.items()}
    return {
        metric: None if value is None else Decimal(str(value)) for metric, value in values.items()
    }


# --- the statement --------------------------------------------------------------------------


@dataclass
class Line:
    metric: str
    label: str
    weight: Decimal
    kpi_value: Decimal | int | None
    kpi_target: Decimal | None
    attainment: Decimal | None
    factor: Decimal
    share: Decimal  # the component's part of the period's variable pay at 100 %
    amount: Decimal
    curve: dict
    is_ratio: bool  # the KPI is a rate (growth, renewal rate), shown in percent
    currency: str

    @property
    def sentence(self) -> str:
        """The line in words, its numbers formatted as the active language wants."""
        return _sentence(self)


@dataclass
class PlanPart:
    plan: CompensationPlan
    start: datetime.date
    end: datetime.date
    days: int
    base: Decimal
    variable: Decimal
    lines: list[Line]

    @property
    def payout(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))


@dataclass
class Statement:
    person: User
    period: Period
    parts: list[PlanPart] = field(default_factory=list)
    adjustment: Adjustment | None = None

    @property
    def base(self) -> Decimal:
        return sum((part.base for part in self.parts), Decimal(0))

    @property
    def variable_target(self) -> Decimal:
        return sum((part.variable for part in self.parts), Decimal(0))

    @property
    def payout(self) -> Decimal:
        return sum((part.payout for part in self.parts), Decimal(0))

    @property
    def payout_ratio(self) -> Decimal | None:
        if not self.variable_target:
            return None
        return self.payout / self.variable_target

    @property
    def currency(self) -> str:
        return self.parts[0].plan.currency if self.parts else "EUR"

    @property
    def has_plan(self) -> bool:
        return bool(self.parts)


def prorated(amount_per_year: Decimal, period: Period, days: int) -> Decimal:
    """A yearly amount's share of a period: months/12, times the share of the period's days
    the plan covers. A full quarter gets exactly a quarter of the year."""
    share = Decimal(period.months) / 12 * Decimal(days) / Decimal(_days(period.start, period.end))
    return (Decimal(amount_per_year) * share).quantize(CENT, rounding=ROUND_HALF_UP)


def attainment_of(value, target) -> Decimal | None:
    if value is None or target is None or Decimal(target) <= 0:
        return None
    ratio = Decimal(str(value)) / Decimal(str(target))
    return ratio.quantize(ATTAINMENT_PLACES, rounding=ROUND_HALF_UP)


def _percent(value: Decimal | float | None) -> str:
    return "–" if value is None else percent(value, 1)


def _money_text(value) -> str:
    return number(value, 2)


def _kpi_text(metric: str, value) -> str:
    if value is None:
        return "–"
    if metric in KAM_METRICS:
        return _percent(value)
    if metric == Metric.WON_VALUE:
        return _money_text(value)
    return number(value)


def _sentence(line: Line) -> str:
    kpi = _kpi_text(line.metric, line.kpi_value)
    target = _kpi_text(line.metric, line.kpi_target)
    amount = f"{_money_text(line.amount)} {line.currency}"
    share = f"{_money_text(line.share)} {line.currency}"
    if line.attainment is None:
        if line.kpi_value is None:
            return _(
                "{kpi} has no value for this period, so this component pays nothing ({amount})."
            ).format(kpi=line.label, amount=amount)
        return _(
            "There is no target for {kpi} in this period, so this component pays nothing "
            "({amount})."
        ).format(kpi=line.label, amount=amount)
    curve = line.curve
    attainment = _percent(line.attainment)
    common = {
        "kpi": line.label,
        "value": kpi,
        "target": target,
        "attainment": attainment,
        "factor": _percent(line.factor),
        "weight": number(line.weight, 2 if line.weight % 1 else 0),
        "share": share,
        "amount": amount,
        "threshold": _percent(curve["threshold"]),
        "cap": _percent(curve["cap"]),
    }
    if line.attainment < curve["threshold"]:
        text = _(
            "{kpi}: {value} against a target of {target} is {attainment}, below the "
            "threshold of {threshold}: this component (weight {weight} %) pays nothing."
        )
    elif line.factor >= curve["cap"] and line.attainment > curve["target"]:
        text = _(
            "{kpi}: {value} against a target of {target} is {attainment}; the curve pays "
            "its cap of {cap}. Share of the variable pay (weight {weight} %): {share} × "
            "{factor} = {amount}."
        )
    elif line.attainment > curve["target"]:
        text = _(
            "{kpi}: {value} against a target of {target} is {attainment}, above target: "
            "the accelerator raises the factor to {factor}. Share of the variable pay "
            "(weight {weight} %): {share} × {factor} = {amount}."
        )
    else:
        text = _(
            "{kpi}: {value} against a target of {target} is {attainment}, which the curve "
            "turns into {factor}. Share of the variable pay (weight {weight} %): {share} × "
            "{factor} = {amount}."
        )
    return text.format(**common)


def curve_dict(component) -> dict:
    return {name: getattr(component, name) for name in CURVE_NAMES}


CURVE_NAMES = ("threshold", "target", "threshold_payout", "accelerator", "cap")


def curve_points(curve: dict, attainment: Decimal | None) -> list[list[float]]:
    """Points drawing the curve from 0 to beyond the cap (or the person's attainment)."""

    shape = PayoutCurve(**curve)
    end = curve["target"] + (
        (curve["cap"] - 1) / curve["accelerator"] if curve["accelerator"] else Decimal(1)
    )
    end = max(end + Decimal("0.25"), (attainment or 0) + Decimal("0.1"), Decimal("1.5"))
    xs = {Decimal(0), curve["threshold"], curve["target"], end}
    just_below = curve["threshold"] - Decimal("0.0001")
    if just_below > 0:
        xs.add(just_below)
    if curve["accelerator"]:
        xs.add(curve["target"] + (curve["cap"] - 1) / curve["accelerator"])
    return [[float(x), float(shape.factor(x))] for x in sorted(xs) if x <= end]


def statement(
    person: User,
    period: Period,
    adjustment: Adjustment | None = None,
    plans: list[CompensationPlan] | None = None,
) -> Statement:
    """The person's payout for the period, every figure with the sentence behind it."""
    result = Statement(person, period, adjustment=adjustment)
    segments = plans_in_force(person, period, plans)
    if not segments:
        return result
    metrics = {c.metric for s in segments for c in s.plan.components.all()}
    values: dict = {}
    if metrics - KAM_METRICS:
        values.update(sales_values(person, period, adjustment))
    if metrics & KAM_METRICS:
        kam = kam_values(person, period)
        components = [c for s in segments for c in s.plan.components.all()]
        for component in components:
            if component.metric in KAM_METRICS:
                values[component.metric] = (kam.get(component.metric), None)
    for segment in segments:
        plan = segment.plan
        variable = prorated(plan.variable_target, period, segment.days)
        lines = []
        for component in plan.components.all():
            value, target = values.get(component.metric, (None, None))
            if component.metric in KAM_METRICS:
                target = component.kpi_target
            attainment = attainment_of(value, target)
            curve = component.curve
            factor = curve.factor(attainment) if attainment is not None else Decimal(0)
            share = (variable * component.weight / HUNDRED).quantize(CENT, ROUND_HALF_UP)
            amount = (variable * component.weight / HUNDRED * factor).quantize(CENT, ROUND_HALF_UP)
            line = Line(
                metric=component.metric,
                label=component.get_metric_display(),
                weight=component.weight,
                kpi_value=value,
                kpi_target=target,
                attainment=attainment,
                factor=factor,
                share=share,
                amount=amount,
                curve=curve_dict(component),
                is_ratio=component.metric in KAM_METRICS,
                currency=plan.currency,
            )
            lines.append(line)
        result.parts.append(
            PlanPart(
                plan=plan,
                start=segment.start,
                end=segment.end,
                days=segment.days,
                base=prorated(plan.base_pay, period, segment.days),
                variable=variable,
                lines=lines,
            )
        )
    return result


def statement_json(result: Statement) -> dict:
    """A statement as plain data: the shape of the API and of `tandem payouts --format json`."""
    person = result.person
    return {
        "user": person.pk,
        "username": person.username,
        "name": str(person),
        "role": person.role,
        "period": result.period.code,
        "period_start": result.period.start,
        "period_end": result.period.end,
        "currency": result.currency,
        "has_plan": result.has_plan,
        "base": result.base,
        "variable_target": result.variable_target,
        "payout": result.payout,
        "parts": [
            {
                "plan": part.plan.pk,
                "plan_name": part.plan.name,
                "start": part.start,
                "end": part.end,
                "days": part.days,
                "base": part.base,
                "variable": part.variable,
                "payout": part.payout,
                "lines": [
                    {
                        "metric": line.metric,
                        "label": str(line.label),
                        "weight": line.weight,
                        "kpi_value": None if line.kpi_value is None else Decimal(line.kpi_value),
                        "kpi_target": line.kpi_target,
                        "attainment": line.attainment,
                        "factor": line.factor,
                        "share": line.share,
                        "amount": line.amount,
                        "sentence": line.sentence,
                    }
                    for line in part.lines
                ],
            }
            for part in result.parts
        ],
    }


def default_period(user: User, today: datetime.date | None = None) -> Period:
    """KAMs think in years, everybody else in quarters."""
    today = today or timezone.localdate()
    kind = PeriodKind.YEAR if user.role == Role.KEY_ACCOUNT_MANAGER else PeriodKind.QUARTER
    return Period.containing(today, kind)


# --- what-if --------------------------------------------------------------------------------


def open_deals_of(person: User) -> QuerySet[Deal]:
    """The open deals that count towards the person's KPIs (a rep's own, a Sales Manager's
    team's), biggest first: what could be closed."""
    return (
        visible_deals(person)
        .filter(stage__outcome=StageOutcome.OPEN)
        .select_related("account", "stage")
        .order_by("-value", "pk")
    )


def is_new_customer(deal: Deal, day: datetime.date) -> bool:
    """Winning the deal on `day` would make its account a new customer (the cockpit's rule:
    no won deal of the account before; none already counted in the period either)."""
    if deal.account_id is None:
        return False
    return not Deal.objects.filter(
        account_id=deal.account_id, stage__outcome=StageOutcome.WON, closed_on__lte=day
    ).exists()


def what_if(
    person: User,
    period: Period,
    *,
    deal: Deal | None = None,
    amount: Decimal | None = None,
) -> tuple[Statement, Statement]:
    """The statement as it is, and as it would be with one more deal won in the period: an
    open deal of the person (its value; a new customer if its account has never bought) or
    an amount. Nothing is written."""
    before = statement(person, period)
    if deal is not None:
        adjustment = Adjustment(deal.value, is_new_customer(deal, period.end), deal)
    else:
        adjustment = Adjustment(Decimal(amount or 0), False, None)
    return before, statement(person, period, adjustment)


def what_if_deals(viewer: User, person: User) -> QuerySet[Deal]:
    """The person's open deals the viewer can see too."""
    if viewer.sees_everything or viewer.pk == person.pk:
        return open_deals_of(person)
    return open_deals_of(person).filter(pk__in=visible_deals(viewer).values("pk"))


def deal_for_what_if(viewer: User, person: User, pk) -> Deal | None:
    """One of the person's open deals, if the viewer can see it."""
    return what_if_deals(viewer, person).filter(pk=pk).first()


# --- salary bands ---------------------------------------------------------------------------


def bands(
    role: str | None = None, company_size: str | None = None, industry: str | None = None
) -> QuerySet[SalaryBand]:
    rows = SalaryBand.objects.all()
    if role:
        rows = rows.filter(role=role)
    if company_size:
        rows = rows.filter(company_size=company_size)
    if industry:
        rows = rows.filter(industry=industry)
    return rows


def band_for(role: str, level: str, company_size: str, industry: str) -> SalaryBand | None:
    """The band for the industry, else the "any industry" band."""
    rows = SalaryBand.objects.filter(role=role, level=level, company_size=company_size)
    return rows.filter(industry=industry).first() or rows.filter(industry=Industry.ANY).first()


def band_position(base_pay: Decimal, band: SalaryBand | None) -> Decimal | None:
    """Where a base pay sits in the band: 0 = minimum, 1 = maximum (below 0 or above 1:
    outside the band)."""
    if band is None or band.maximum == band.minimum:
        return None
    return (Decimal(base_pay) - band.minimum) / (band.maximum - band.minimum)


@dataclass
class BandCheck:
    band: SalaryBand
    position: Decimal | None

    @property
    def below(self) -> bool:
        return self.position is not None and self.position < 0

    @property
    def above(self) -> bool:
        return self.position is not None and self.position > 1


def band_check(plan: CompensationPlan, profile: CompanyProfile | None = None) -> BandCheck | None:
    """The plan's base pay against the band of its role and level for this company's size
    and industry (None when the plan names no level or there is no band)."""
    if not plan.level:
        return None
    profile = profile or CompanyProfile.current()
    band = band_for(plan.role, plan.level, profile.company_size, profile.industry)
    if band is None:
        return None
    return BandCheck(band, band_position(plan.base_pay, band))
