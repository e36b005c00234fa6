"""REST endpoints of account plans: plans, their actions, the key accounts without a plan, and
the QBR pack's figures.

Reads start from the account-plan selectors, writes go through its services, so the API
refuses what the web pages refuse, with the same messages.
"""

import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from tandem.accountplans.filters import AccountPlanFilterSet
from tandem.accountplans.models import AccountPlan, ActionStatus, TeamFunction
from tandem.accountplans.selectors import (
    get_action_for,
    get_key_account_for,
    get_plan_for,
    key_accounts_without_plan,
    qbr_pack,
    qbr_period,
    visible_plans,
)
from tandem.accountplans.services import (
    add_action,
    create_plan,
    delete_action,
    delete_plan,
    update_action,
    update_plan,
)
from tandem.accounts.selectors import visible_accounts
from tandem.catalog.models import Product
from tandem.core.api.errors import ERROR_RESPONSES, FieldError, unknown_reference
from tandem.core.api.listing import page_of, page_schema
from tandem.core.errors import DomainError
from tandem.core.filters import filtered_for_api, query_schema
from tandem.core.validation import Day, Line, Text
from tandem.users.models import User

router = Router()


class PlanActionSchema(Schema):
    id: int
    plan: int
    title: str
    function: TeamFunction
    owner: int
    due_on: datetime.date
    status: ActionStatus
    note: str
    completed_on: datetime.date | None

    @staticmethod
    def resolve_plan(obj) -> int:
        return obj.plan_id

    @staticmethod
    def resolve_owner(obj) -> int:
        return obj.owner_id


class AccountPlanSchema(Schema):
    id: int
    account: int
    account_name: str
    year: int
    objectives: str
    growth_target_percent: Decimal
    whitespace: list[int] = Field(description="Ids of the products to pursue.")
    risks: str
    review_dates: list[datetime.date]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_account(obj) -> int:
        return obj.account_id

    @staticmethod
    def resolve_account_name(obj) -> str:
        return obj.account.name

    @staticmethod
    def resolve_whitespace(obj) -> list[int]:
        return sorted(p.pk for p in obj.whitespace.all())

    @staticmethod
    def resolve_review_dates(obj) -> list[datetime.date]:
        return [r.review_on for r in obj.reviews.all()]


class AccountPlanDetailSchema(AccountPlanSchema):
    actions: list[PlanActionSchema]

    @staticmethod
    def resolve_actions(obj) -> list:
        return list(obj.actions.all())


class AccountPlanCreateSchema(Schema):
    account: int = Field(description="Id of a key account you own or manage.")
    year: int
    objectives: Text
    growth_target_percent: Decimal = Field(description="-100 to 1000")
    risks: Text = ""
    whitespace: list[int] = Field([], description="Ids of active products.")
    review_dates: list[Day] = Field([], description="Dates in the plan year.")


class AccountPlanUpdateSchema(Schema):
    objectives: Text | None = None
    growth_target_percent: Decimal | None = None
    risks: Text | None = None
    whitespace: list[int] | None = None
    review_dates: list[Day] | None = None


class PlanActionCreateSchema(Schema):
    title: Line
    function: TeamFunction
    owner: int = Field(description="Id of an active user.")
    due_on: Day = Field(description="A day in the plan year.")
    status: ActionStatus = ActionStatus.OPEN
    note: Text = Field("", description="Required when the status is blocked.")


class PlanActionUpdateSchema(Schema):
    title: Line | None = None
    function: TeamFunction | None = None
    owner: int | None = None
    due_on: Day | None = None
    status: ActionStatus | None = None
    note: Text | None = None


class MissingAccountPlanSchema(Schema):
    account: int
    name: str
    owner: int


class QbrAmountSchema(Schema):
    period: str
    total: Decimal


class QbrSchema(Schema):
    account: int
    period: str
    as_of: datetime.date
    plan: int | None
    revenue_quarter: Decimal
    revenue_previous_quarter: Decimal
    revenue_same_quarter_last_year: Decimal
    revenue_change_vs_last_year_percent: Decimal | None
    revenue_year_to_date: Decimal
    revenue_year_to_date_previous: Decimal
    growth_year_to_date_percent: Decimal | None
    growth_target_percent: Decimal | None
    revenue_trend: list[QbrAmountSchema]
    products_bought: list[dict]
    whitespace: list[dict]
    cross_sell: list[dict] = Field(
        description="What similar accounts buy and the plan does not pursue, with the reason."
    )
    never_bought: list[str]
    open_deals: list[dict]
    open_deals_total: Decimal
    renewals: list[dict]
    stakeholder_gaps: list[dict]
    action_counts: dict[str, int]
    actions_overdue: int


def _products(ids: list[int] | None) -> list[Product] | None:
    if ids is None:
        return None
    products = list(Product.objects.filter(pk__in=ids))
    if len(products) != len(set(ids)):
        raise unknown_reference("whitespace", "product")
    return products


def _user(pk: int | None, field: str = "owner") -> User | None:
    if pk is None:
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise unknown_reference(field, "user")
    return user


def _detail(plan: AccountPlan) -> AccountPlan:
    """The plan read again with what the detail schema shows."""
    return (
        AccountPlan.objects.select_related("account")
        .prefetch_related("whitespace", "reviews", "actions")
        .get(pk=plan.pk)
    )


AccountPlanPageSchema = page_schema(AccountPlanSchema)


@router.get(
    "/plans", response={200: AccountPlanPageSchema, **ERROR_RESPONSES}, summary="Account plans"
)
def list_plans(request: HttpRequest, filters: Query[query_schema(AccountPlanFilterSet)]):
    plans = visible_plans(request.auth).prefetch_related("whitespace", "reviews")
    plans, _ordering = filtered_for_api(AccountPlanFilterSet, filters, plans, request.auth)
    return page_of(plans, filters)


@router.get(
    "/missing",
    response={200: list[MissingAccountPlanSchema], **ERROR_RESPONSES},
    summary="Key accounts without a plan for a year (this year by default)",
)
def list_missing(request: HttpRequest, year: int | None = None):
    year = year or timezone.localdate().year
    return [
        {"account": a.pk, "name": a.name, "owner": a.owner_id}
        for a in key_accounts_without_plan(request.auth, year)
    ]


@router.post(
    "/plans", response={201: AccountPlanDetailSchema, **ERROR_RESPONSES}, summary="Create a plan"
)
def create(request: HttpRequest, payload: AccountPlanCreateSchema):
    account = visible_accounts(request.auth).filter(pk=payload.account).first()
    if account is None:
        raise unknown_reference("account", "account")
    data = payload.model_dump(exclude={"account", "year", "whitespace"})
    plan = create_plan(
        account,
        payload.year,
        acting_user=request.auth,
        whitespace=_products(payload.whitespace),
        **data,
    )
    return Status(201, _detail(plan))


@router.get(
    "/plans/{plan_id}",
    response={200: AccountPlanDetailSchema, **ERROR_RESPONSES},
    summary="A plan with its actions",
)
def read_plan(request: HttpRequest, plan_id: int):
    return _detail(get_plan_for(request.auth, plan_id))


@router.patch(
    "/plans/{plan_id}",
    response={200: AccountPlanDetailSchema, **ERROR_RESPONSES},
    summary="Edit a plan",
)
def edit_plan(request: HttpRequest, plan_id: int, payload: AccountPlanUpdateSchema):
    plan = get_plan_for(request.auth, plan_id)
    data = payload.model_dump(exclude_unset=True, exclude={"whitespace"})
    if payload.whitespace is not None:
        data["whitespace"] = _products(payload.whitespace)
    return _detail(update_plan(plan, acting_user=request.auth, **data))


@router.delete("/plans/{plan_id}", response={204: None, **ERROR_RESPONSES}, summary="Delete a plan")
def remove_plan(request: HttpRequest, plan_id: int):
    delete_plan(get_plan_for(request.auth, plan_id), acting_user=request.auth)
    return Status(204, None)


@router.post(
    "/plans/{plan_id}/actions",
    response={201: PlanActionSchema, **ERROR_RESPONSES},
    summary="Add an action",
)
def create_action(request: HttpRequest, plan_id: int, payload: PlanActionCreateSchema):
    plan = get_plan_for(request.auth, plan_id)
    data = payload.model_dump(exclude={"owner"})
    action = add_action(plan, acting_user=request.auth, owner=_user(payload.owner), **data)
    return Status(201, action)


@router.patch(
    "/actions/{action_id}",
    response={200: PlanActionSchema, **ERROR_RESPONSES},
    summary="Edit an action (its owner may move the status and note)",
)
def edit_action(request: HttpRequest, action_id: int, payload: PlanActionUpdateSchema):
    action = get_action_for(request.auth, action_id)
    data = payload.model_dump(exclude_unset=True, exclude={"owner"})
    if payload.owner is not None:
        data["owner"] = _user(payload.owner)
    return update_action(action, acting_user=request.auth, **data)


@router.delete(
    "/actions/{action_id}", response={204: None, **ERROR_RESPONSES}, summary="Delete an action"
)
def remove_action(request: HttpRequest, action_id: int):
    delete_action(get_action_for(request.auth, action_id), acting_user=request.auth)
    return Status(204, None)


@router.get(
    "/qbr/{account_id}",
    response={200: QbrSchema, **ERROR_RESPONSES},
    summary="The QBR pack's figures for a key account and quarter (default: the last quarter)",
)
def read_qbr(request: HttpRequest, account_id: int, period: str | None = None):
    account = get_key_account_for(request.auth, account_id)
    try:
        quarter = qbr_period(period)
    except DomainError as error:
        raise FieldError("period", error.message, source="query") from error
    pack = qbr_pack(account, quarter)
    revenue = pack["revenue"]
    ytd = revenue["year_to_date"]
    return {
        "account": account.pk,
        "period": quarter.code,
        "as_of": pack["as_of"],
        "plan": pack["plan"].pk if pack["plan"] else None,
        "revenue_quarter": revenue["quarter"],
        "revenue_previous_quarter": revenue["previous_quarter"],
        "revenue_same_quarter_last_year": revenue["same_quarter_last_year"],
        "revenue_change_vs_last_year_percent": revenue["change_vs_last_year"],
        "revenue_year_to_date": ytd["total"],
        "revenue_year_to_date_previous": ytd["previous"],
        "growth_year_to_date_percent": ytd["change_percent"],
        "growth_target_percent": revenue["target_percent"],
        "revenue_trend": [{"period": r["period"], "total": r["total"]} for r in revenue["trend"]],
        "products_bought": [
            {
                "product": p["product_id"],
                "name": p["name"],
                "quarter": str(p["quarter"]),
                "twelve_months": str(p["twelve_months"]),
            }
            for p in pack["products"]["bought"]
        ],
        "whitespace": [
            {
                "product": p["product_id"],
                "name": p["name"],
                "bought": p["bought"],
                "open_deals": p["open_deals"],
                "open_value": str(p["open_value"]),
                "reason": p["reason"],
            }
            for p in pack["products"]["pursued"]
        ],
        "cross_sell": pack["products"]["suggested"],
        "never_bought": pack["products"]["never_bought"],
        "open_deals": [
            {
                "id": d.pk,
                "name": d.name,
                "owner": d.owner_id,
                "stage": d.stage.code,
                "value": str(d.value),
                "expected_close_on": d.expected_close_on.isoformat()
                if d.expected_close_on
                else None,
            }
            for d in pack["open_deals"]["deals"]
        ],
        "open_deals_total": pack["open_deals"]["total"],
        "renewals": [
            {
                "contract": r["contract"].pk,
                "name": r["contract"].name,
                "end_on": r["contract"].end_on.isoformat(),
                "days_left": r["days_left"],
                "annual_value": str(r["contract"].annual_value),
                "risk_score": r["risk"].score,
                "risk_level": r["risk"].level,
                "risk_signals": r["risk"].signals,
            }
            for r in pack["renewals"]["rows"]
        ],
        "stakeholder_gaps": pack["stakeholders"]["gaps"],
        "action_counts": {c["status"]: c["count"] for c in pack["actions"]["counts"]},
        "actions_overdue": pack["actions"]["overdue"],
    }
