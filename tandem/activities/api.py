"""REST endpoints for activities: reads through visible_activities, writes through the
activity services; the logged-in caller is the one who logs the activity."""

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tandem.accounts.selectors import visible_accounts, visible_contacts
from tandem.activities.filters import ActivityFilterSet
from tandem.activities.models import ActivityKind
from tandem.activities.selectors import get_activity_for, visible_activities
from tandem.activities.services import create_activity, delete_activity, update_activity
from tandem.core.api.errors import ERROR_RESPONSES
from tandem.core.api.listing import page_of, page_schema
from tandem.core.api.references import referenced, referenced_all
from tandem.core.filters import filtered_for_api, query_schema
from tandem.core.validation import Line, Moment, Text
from tandem.pipeline.selectors import visible_deals

activity_router = Router()


class ActivitySchema(Schema):
    id: int
    kind: ActivityKind
    subject: str
    notes: str
    occurred_at: datetime.datetime
    account: int = Field(description="Id of the account.")
    deal: int | None = Field(description="Id of the deal.")
    contacts: list[int] = Field(description="Ids of the contacts involved.")
    owner: int = Field(description="Id of the user who logged it.")

    @staticmethod
    def resolve_account(obj) -> int:
        return obj.account_id

    @staticmethod
    def resolve_deal(obj) -> int | None:
        return obj.deal_id

    @staticmethod
    def resolve_owner(obj) -> int:
        return obj.owner_id

    @staticmethod
    def resolve_contacts(obj) -> list[int]:
        return sorted(contact.pk for contact in obj.contacts.all())


class ActivityCreateSchema(Schema):
    kind: ActivityKind
    subject: Line = Field(..., min_length=1, max_length=200)
    notes: Text = ""
    occurred_at: Moment
    account: int = Field(..., description="Id of an account you can see.")
    deal: int | None = Field(None, description="Id of a deal of that account.")
    contacts: list[int] = Field([], description="Ids of contacts at that account.")


class ActivityUpdateSchema(Schema):
    """Only the fields sent are changed; `contacts` replaces the whole list."""

    kind: ActivityKind = None
    subject: Line = Field(None, min_length=1, max_length=200)
    notes: Text = None
    occurred_at: Moment = None
    account: int = None
    deal: int | None = None
    contacts: list[int] = None


ActivityPageSchema = page_schema(ActivitySchema)


def _activity_fields(user, data: dict) -> dict:
    if "account" in data:
        data["account"] = referenced(
            visible_accounts(user), data["account"], field="account", kind="account"
        )
    if "deal" in data:
        data["deal"] = referenced(visible_deals(user), data["deal"], field="deal", kind="deal")
    if "contacts" in data:
        data["contacts"] = referenced_all(
            visible_contacts(user), data["contacts"], field="contacts", kind="contact"
        )
    return data


def _with_relations(activities):
    return activities.prefetch_related("contacts")


@activity_router.get(
    "", response={200: ActivityPageSchema, **ERROR_RESPONSES}, summary="List activities"
)
def list_activities(request: HttpRequest, filters: Query[query_schema(ActivityFilterSet)]):
    activities = _with_relations(visible_activities(request.auth))
    activities, _ordering = filtered_for_api(ActivityFilterSet, filters, activities, request.auth)
    return page_of(activities, filters)


@activity_router.post(
    "", response={201: ActivitySchema, **ERROR_RESPONSES}, summary="Log an activity"
)
def create_activity_endpoint(request: HttpRequest, payload: ActivityCreateSchema):
    fields = _activity_fields(request.auth, payload.model_dump())
    return Status(201, create_activity(acting_user=request.auth, **fields))


@activity_router.get(
    "/{activity_id}", response={200: ActivitySchema, **ERROR_RESPONSES}, summary="Read an activity"
)
def read_activity(request: HttpRequest, activity_id: int):
    return get_activity_for(request.auth, activity_id)


@activity_router.patch(
    "/{activity_id}",
    response={200: ActivitySchema, **ERROR_RESPONSES},
    summary="Change an activity",
)
def update_activity_endpoint(request: HttpRequest, activity_id: int, payload: ActivityUpdateSchema):
    activity = get_activity_for(request.auth, activity_id)
    changes = _activity_fields(request.auth, payload.model_dump(exclude_unset=True))
    return update_activity(activity, acting_user=request.auth, **changes)


@activity_router.delete(
    "/{activity_id}", response={204: None, **ERROR_RESPONSES}, summary="Delete an activity"
)
def delete_activity_endpoint(request: HttpRequest, activity_id: int):
    delete_activity(get_activity_for(request.auth, activity_id), acting_user=request.auth)
    return Status(204, None)
