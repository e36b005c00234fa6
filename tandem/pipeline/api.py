"""REST endpoints for deals: reads through visible_deals, writes through the pipeline services.

A stage change sent with PATCH goes through move_deal_to_stage, so it is kept as a StageChange
row like a move on the board.
"""

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tandem.accounts.selectors import visible_accounts
from tandem.approvals.api import ApprovalSchema
from tandem.approvals.models import Approval
from tandem.catalog.selectors import visible_products
from tandem.core.api.errors import CHANGE_RESPONSES, ERROR_RESPONSES
from tandem.core.api.listing import page_of, page_schema
from tandem.core.api.references import referenced
from tandem.core.filters import filtered_for_api, query_schema
from tandem.pipeline.filters import DealFilterSet
from tandem.pipeline.models import Channel, DealType, Stage, StageOutcome
from tandem.pipeline.selectors import get_deal_for, visible_deals
from tandem.pipeline.services import create_deal, delete_deal, update_deal
from tandem.users.selectors import assignable_owners

deal_router = Router()


class DealSchema(Schema):
    id: int
    name: str
    external_ref: str | None
    account: int | None = Field(description="Id of the account; null for an unresolved import.")
    owner: int = Field(description="Id of the owning user.")
    product: int | None = Field(description="Id of the product.")
    value: Decimal
    stage: str = Field(description="Code of the stage.")
    outcome: StageOutcome = Field(description="Whether the stage is open, won or lost.")
    channel: str | None = Field(description="Code of the sales channel.")
    deal_type: DealType
    created_on: datetime.date | None
    engaged_on: datetime.date | None
    expected_close_on: datetime.date | None
    closed_on: datetime.date | None
    lost_reason: str
    version: int = Field(description="Grows with every save; send it back with a PATCH.")

    @staticmethod
    def resolve_account(obj) -> int | None:
        return obj.account_id

    @staticmethod
    def resolve_owner(obj) -> int:
        return obj.owner_id

    @staticmethod
    def resolve_product(obj) -> int | None:
        return obj.product_id

    @staticmethod
    def resolve_stage(obj) -> str:
        return obj.stage.code

    @staticmethod
    def resolve_outcome(obj) -> str:
        return obj.stage.outcome

    @staticmethod
    def resolve_channel(obj) -> str | None:
        return obj.channel.code if obj.channel_id else None


class DealCreateSchema(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    external_ref: str | None = Field(None, max_length=200)
    account: int | None = Field(None, description="Id of an account you can see.")
    owner: int | None = Field(None, description="Id of the owner; you when left out.")
    product: int | None = Field(None, description="Id of a product.")
    value: Decimal = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=2)
    stage: str | None = Field(
        None, description="Code of the stage; the first open stage if left out."
    )
    channel: str | None = Field(None, description="Code of the sales channel.")
    deal_type: DealType = DealType.NEW_BUSINESS
    created_on: datetime.date | None = Field(None, description="Today when left out.")
    engaged_on: datetime.date | None = None
    expected_close_on: datetime.date | None = None
    lost_reason: str = Field("", max_length=200)


class DealUpdateSchema(Schema):
    """Only the fields sent are changed. A new stage is a move, kept in the deal's history;
    moving to a lost stage needs a `lost_reason` (sent along or already on the deal).

    Winning one's own deal above the company's threshold, or raising the value of one's own
    won deal, waits for a second person: the answer is then 202 with the pending approval
    (see /api/approvals), and the deal is unchanged until it is approved."""

    name: str = Field(None, min_length=1, max_length=200)
    external_ref: str | None = Field(None, max_length=200)
    account: int | None = None
    owner: int = None
    product: int | None = None
    value: Decimal = Field(None, ge=0, max_digits=14, decimal_places=2)
    stage: str = None
    channel: str | None = None
    deal_type: DealType = None
    created_on: datetime.date | None = None
    engaged_on: datetime.date | None = None
    expected_close_on: datetime.date | None = None
    lost_reason: str = Field(None, max_length=200)
    approval_note: str = Field(
        None, max_length=500, description="Why, for the approver, if the change needs one."
    )
    version: int | None = Field(
        None, description="The version you read; 409 if the record was saved since."
    )


DealPageSchema = page_schema(DealSchema)


def _deal_fields(user, data: dict) -> dict:
    if "account" in data:
        data["account"] = referenced(
            visible_accounts(user), data["account"], field="account", kind="account"
        )
    if "owner" in data:
        data["owner"] = referenced(
            assignable_owners(user), data["owner"], field="owner", kind="user"
        )
        if data["owner"] is None:
            del data["owner"]
    if "product" in data:
        data["product"] = referenced(
            visible_products(user), data["product"], field="product", kind="product"
        )
    if "stage" in data:
        data["stage"] = referenced(
            Stage.objects.all(), data["stage"], field="stage", kind="stage", lookup="code"
        )
        if data["stage"] is None:
            del data["stage"]
    if "channel" in data:
        data["channel"] = referenced(
            Channel.objects.all(), data["channel"], field="channel", kind="channel", lookup="code"
        )
    return data


def _with_relations(deals):
    return deals.select_related("stage", "channel")


@deal_router.get("", response={200: DealPageSchema, **ERROR_RESPONSES}, summary="List deals")
def list_deals(request: HttpRequest, filters: Query[query_schema(DealFilterSet)]):
    deals = _with_relations(visible_deals(request.auth))
    deals, _ordering = filtered_for_api(DealFilterSet, filters, deals, request.auth)
    return page_of(deals, filters)


@deal_router.post("", response={201: DealSchema, **ERROR_RESPONSES}, summary="Create a deal")
def create_deal_endpoint(request: HttpRequest, payload: DealCreateSchema):
    data = payload.model_dump()
    if data["created_on"] is None:
        del data["created_on"]
    fields = _deal_fields(request.auth, data)
    return Status(201, create_deal(acting_user=request.auth, **fields))


@deal_router.get("/{deal_id}", response={200: DealSchema, **ERROR_RESPONSES}, summary="Read a deal")
def read_deal(request: HttpRequest, deal_id: int):
    return get_deal_for(request.auth, deal_id)


@deal_router.patch(
    "/{deal_id}",
    response={200: DealSchema, 202: ApprovalSchema, **CHANGE_RESPONSES},
    summary="Change a deal or move it",
)
def update_deal_endpoint(request: HttpRequest, deal_id: int, payload: DealUpdateSchema):
    deal = get_deal_for(request.auth, deal_id)
    changes = _deal_fields(request.auth, payload.model_dump(exclude_unset=True))
    result = update_deal(deal, acting_user=request.auth, **changes)
    if isinstance(result, Approval):
        return Status(202, result)
    return result


@deal_router.delete("/{deal_id}", response={204: None, **ERROR_RESPONSES}, summary="Delete a deal")
def delete_deal_endpoint(request: HttpRequest, deal_id: int):
    delete_deal(get_deal_for(request.auth, deal_id), acting_user=request.auth)
    return Status(204, None)
