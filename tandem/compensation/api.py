"""REST endpoints of compensation, under /api/compensation: plans (CRUD for sales
operations), payouts and statements per person and period, what-if, salary bands.

Reads go through the compensation selectors (the same visibility as the pages), writes
through the services (the same rules and messages).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tandem.compensation.models import (
    CompanyProfile,
    CompanySize,
    CompensationPlan,
    Industry,
    Level,
    Metric,
    SalaryBand,
)
from tandem.compensation.selectors import (
    band_check,
    bands,
    deal_for_what_if,
    default_period,
    get_payee_for,
    get_plan_for,
    plans_overlapping,
    statement,
    statement_json,
    visible_payees,
    visible_plans,
    what_if,
)
from tandem.compensation.services import (
    delete_plan,
    may_manage_plans,
    save_plan,
    set_company_profile,
    update_band,
)
from tandem.core.api.errors import ERROR_RESPONSES, FieldError
from tandem.core.errors import DomainError
from tandem.core.periods import Period
from tandem.core.validation import AMOUNT_LIMIT, Day, Line
from tandem.users.models import Role, User

router = Router()


class ComponentIn(Schema):
    metric: Metric
    weight: Decimal = Field(description="Percent of the variable pay; all add up to 100.")
    kpi_target: Decimal | None = Field(
        None, description="KAM KPIs only: the KPI value that counts as 100 % (0.1 = 10 %)."
    )
    threshold: Decimal = Field(Decimal("0.5"), description="Attainment below which 0 is paid.")
    target: Decimal = Field(Decimal(1), description="Attainment that pays 100 %.")
    threshold_payout: Decimal = Field(Decimal("0.25"), description="Factor paid at threshold.")
    accelerator: Decimal = Field(
        Decimal("1.5"), description="Extra factor per unit of attainment above target."
    )
    cap: Decimal = Field(Decimal(2), description="The highest factor, at least 1.")


class ComponentOut(ComponentIn):
    label: str

    @staticmethod
    def resolve_label(obj) -> str:
        return str(obj.get_metric_display())


class PlanIn(Schema):
    name: Line
    role: Role | None = Field(None, description="Required unless `user` is given.")
    user: int | None = Field(None, description="A personal plan for this user.")
    valid_from: Day
    valid_to: Day | None = None
    base_pay: Decimal = Field(description="Per year.")
    variable_target: Decimal = Field(description="Variable pay at 100 %, per year.")
    currency: Line = "EUR"
    level: Level | None = Field(None, description="Compares base pay with this level's band.")
    components: list[ComponentIn]


class BandCheckOut(Schema):
    band: int
    minimum: Decimal
    midpoint: Decimal
    maximum: Decimal
    position: Decimal | None = Field(
        description="Base pay in the band: 0 = minimum, 1 = maximum (outside below 0 / above 1)."
    )


class PlanOut(Schema):
    id: int
    name: str
    role: str
    user: int | None
    valid_from: datetime.date
    valid_to: datetime.date | None
    base_pay: Decimal
    variable_target: Decimal
    currency: str
    level: str
    components: list[ComponentOut]
    band: BandCheckOut | None = Field(
        None, description="The band of the plan's role and level for this company."
    )

    @staticmethod
    def resolve_band(obj) -> dict | None:
        check = band_check(obj)
        if check is None:
            return None
        band = check.band
        return {
            "band": band.pk,
            "minimum": band.minimum,
            "midpoint": band.midpoint,
            "maximum": band.maximum,
            "position": check.position.quantize(Decimal("0.0001"))
            if check.position is not None
            else None,
        }

    @staticmethod
    def resolve_user(obj) -> int | None:
        return obj.user_id

    @staticmethod
    def resolve_components(obj):
        return list(obj.components.all())


class LineOut(Schema):
    metric: str
    label: str
    weight: Decimal
    kpi_value: Decimal | None
    kpi_target: Decimal | None
    attainment: Decimal | None = Field(description="1 = 100 %, kept to 0.01 %.")
    factor: Decimal = Field(description="The curve's payout factor for the attainment.")
    share: Decimal = Field(description="The component's part of the variable pay at 100 %.")
    amount: Decimal
    sentence: str = Field(description="The figure in words, in the caller's language.")


class PartOut(Schema):
    plan: int
    plan_name: str
    start: datetime.date
    end: datetime.date
    days: int
    base: Decimal
    variable: Decimal
    payout: Decimal
    lines: list[LineOut]


class StatementOut(Schema):
    user: int
    username: str
    name: str
    role: str
    period: str
    period_start: datetime.date
    period_end: datetime.date
    currency: str
    has_plan: bool
    base: Decimal
    variable_target: Decimal
    payout: Decimal
    parts: list[PartOut]


class PayoutOut(Schema):
    user: int
    username: str
    name: str
    role: str
    has_plan: bool
    variable_target: Decimal
    payout: Decimal
    currency: str


class WhatIfIn(Schema):
    user: int | None = Field(None, description="Whose payout; default: the caller.")
    period: Line | None = Field(None, description="Default: the current quarter.")
    deal: int | None = Field(None, description="One of the person's open deals.")
    amount: Decimal | None = Field(None, ge=0, lt=AMOUNT_LIMIT, description="Or an amount won.")


class WhatIfOut(Schema):
    before: StatementOut
    after: StatementOut
    difference: Decimal
    new_customer: bool = Field(description="Whether the deal would win a new customer.")


class BandOut(Schema):
    id: int
    role: str
    level: Level
    company_size: CompanySize
    industry: Industry
    minimum: Decimal
    midpoint: Decimal
    maximum: Decimal
    currency: str


class BandIn(Schema):
    minimum: Decimal
    midpoint: Decimal
    maximum: Decimal


def _period(text: str | None, person: User) -> Period:
    if not text:
        return default_period(person)
    try:
        return Period.parse(text)
    except DomainError as error:
        raise FieldError("period", error.message, source="query") from None


def _admin(request) -> None:
    if not may_manage_plans(request.auth):
        raise PermissionDenied


def _plan_data(payload: PlanIn) -> dict:
    user = None
    if payload.user is not None:
        user = User.objects.filter(pk=payload.user).first()
        if user is None:
            raise FieldError("user", _("There is no user with this id."))
    data = payload.model_dump(exclude={"user", "components"})
    data["level"] = data["level"] or ""
    data["components"] = [c.model_dump() for c in payload.components]
    data["user"] = user
    return data


# --- plans ----------------------------------------------------------------------------------


@router.get("/plans", response={200: list[PlanOut], **ERROR_RESPONSES}, summary="Plans")
def list_plans(request: HttpRequest):
    """Role plans (everybody sees them) and the personal plans of the people whose pay the
    caller may see."""
    return list(visible_plans(request.auth).order_by("role", "user_id", "-valid_from", "pk"))


@router.post("/plans", response={201: PlanOut, **ERROR_RESPONSES}, summary="Create a plan")
def create_plan(request: HttpRequest, payload: PlanIn):
    _admin(request)
    plan = save_plan(None, acting_user=request.auth, **_plan_data(payload))
    return Status(201, plan)


@router.get("/plans/{plan_id}", response={200: PlanOut, **ERROR_RESPONSES}, summary="A plan")
def read_plan(request: HttpRequest, plan_id: int):
    return get_plan_for(request.auth, plan_id)


@router.put(
    "/plans/{plan_id}",
    response={200: PlanOut, **ERROR_RESPONSES},
    summary="Replace a plan and its components",
)
def replace_plan(request: HttpRequest, plan_id: int, payload: PlanIn):
    _admin(request)
    plan = get_object_or_404(CompensationPlan, pk=plan_id)
    return save_plan(plan, acting_user=request.auth, **_plan_data(payload))


@router.delete("/plans/{plan_id}", response={204: None, **ERROR_RESPONSES}, summary="Delete")
def remove_plan(request: HttpRequest, plan_id: int):
    _admin(request)
    delete_plan(get_object_or_404(CompensationPlan, pk=plan_id), acting_user=request.auth)
    return Status(204, None)


# --- payouts --------------------------------------------------------------------------------


@router.get(
    "/payouts",
    response={200: list[PayoutOut], **ERROR_RESPONSES},
    summary="Payouts of everybody whose pay the caller may see",
)
def list_payouts(request: HttpRequest, period: str | None = None):
    found = _period(period, request.auth)
    rows = []
    plans = list(plans_overlapping(found))
    for person in visible_payees(request.auth).order_by("username"):
        result = statement(person, found, plans=plans)
        rows.append(
            {
                "user": person.pk,
                "username": person.username,
                "name": str(person),
                "role": person.role,
                "has_plan": result.has_plan,
                "variable_target": result.variable_target,
                "payout": result.payout,
                "currency": result.currency,
            }
        )
    return rows


@router.get(
    "/statements/{user_id}",
    response={200: StatementOut, **ERROR_RESPONSES},
    summary="A person's statement for a period, every figure explained",
)
def read_statement(request: HttpRequest, user_id: int, period: str | None = None):
    person = get_payee_for(request.auth, user_id)
    return statement_json(statement(person, _period(period, person)))


@router.post(
    "/what-if",
    response={200: WhatIfOut, **ERROR_RESPONSES},
    summary="The payout if one more deal were won (nothing is saved)",
)
def what_if_endpoint(request: HttpRequest, payload: WhatIfIn):
    person = get_payee_for(request.auth, payload.user or request.auth.pk)
    try:
        found = Period.parse(payload.period) if payload.period else _period(None, person)
    except DomainError as error:
        raise FieldError("period", error.message) from None
    deal = None
    if payload.deal is not None:
        deal = deal_for_what_if(request.auth, person, payload.deal)
        if deal is None:
            raise FieldError("deal", _("There is no open deal with this id for this person."))
    elif payload.amount is None:
        raise FieldError("amount", _("Pick a deal or enter an amount."))
    before, after = what_if(person, found, deal=deal, amount=payload.amount)
    return {
        "before": statement_json(before),
        "after": statement_json(after),
        "difference": after.payout - before.payout,
        "new_customer": after.adjustment.new_customer,
    }


# --- salary bands ---------------------------------------------------------------------------


@router.get("/bands", response={200: list[BandOut], **ERROR_RESPONSES}, summary="Salary bands")
def list_bands(
    request: HttpRequest,
    role: Role | None = None,
    company_size: CompanySize | None = None,
    industry: Industry | None = None,
):
    return list(bands(role, company_size, industry))


@router.put("/bands/{band_id}", response={200: BandOut, **ERROR_RESPONSES}, summary="Change a band")
def change_band(request: HttpRequest, band_id: int, payload: BandIn):
    _admin(request)
    band = get_object_or_404(SalaryBand, pk=band_id)
    return update_band(band, acting_user=request.auth, **payload.model_dump())


class CompanyProfileSchema(Schema):
    company_size: CompanySize
    industry: Industry


@router.get(
    "/company-profile",
    response={200: CompanyProfileSchema, **ERROR_RESPONSES},
    summary="Which salary bands apply to this company",
)
def read_profile(request: HttpRequest):
    return CompanyProfile.current()


@router.put(
    "/company-profile",
    response={200: CompanyProfileSchema, **ERROR_RESPONSES},
    summary="Change the company's size and industry (admins)",
)
def change_profile(request: HttpRequest, payload: CompanyProfileSchema):
    _admin(request)
    return set_company_profile(acting_user=request.auth, **payload.model_dump())
