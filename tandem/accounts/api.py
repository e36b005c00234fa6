"""REST endpoints for accounts and contacts: reads through the visibility functions, writes
through the services (see tandem.shell.api for authentication and the error shape)."""

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tandem.accounts.filters import AccountFilterSet, ContactFilterSet
from tandem.accounts.models import BuyingRole, HierarchyLevel, Sector, Tier
from tandem.accounts.selectors import (
    get_account_for,
    get_contact_for,
    visible_accounts,
    visible_contacts,
)
from tandem.accounts.services import (
    create_account,
    create_contact,
    delete_account,
    delete_contact,
    update_account,
    update_contact,
)
from tandem.core.api.errors import CHANGE_RESPONSES, ERROR_RESPONSES
from tandem.core.api.listing import page_of, page_schema
from tandem.core.api.references import referenced
from tandem.core.filters import filtered_for_api, query_schema
from tandem.users.selectors import assignable_owners

account_router = Router()
contact_router = Router()

# --- accounts --------------------------------------------------------------------------------


class AccountSchema(Schema):
    id: int
    name: str
    external_ref: str | None
    parent: int | None = Field(description="Id of the parent company.")
    sector: str | None = Field(description="Code of the sector.")
    employees: int | None
    annual_revenue: Decimal | None
    year_established: int | None
    country: str
    city: str
    owner: int = Field(description="Id of the owning user.")
    tier: Tier
    is_strategic: bool
    revenue_potential: Decimal | None
    created_at: datetime.datetime
    version: int = Field(description="Grows with every save; send it back with a PATCH.")

    @staticmethod
    def resolve_parent(obj) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_owner(obj) -> int:
        return obj.owner_id

    @staticmethod
    def resolve_sector(obj) -> str | None:
        return obj.sector.code if obj.sector_id else None


class AccountCreateSchema(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    external_ref: str | None = Field(None, max_length=200)
    parent: int | None = Field(None, description="Id of a parent company you can see.")
    sector: str | None = Field(None, description="Code of a sector.")
    employees: int | None = Field(None, ge=0)
    annual_revenue: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    year_established: int | None = Field(None, ge=1000, le=2999)
    country: str = Field("", max_length=100)
    city: str = Field("", max_length=100)
    owner: int | None = Field(None, description="Id of the owner; you when left out.")
    tier: Tier = Field(
        Tier.STANDARD,
        description="Always standard: an account becomes a key account by a handover.",
    )
    is_strategic: bool = False
    revenue_potential: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)


class AccountUpdateSchema(Schema):
    """Only the fields sent are changed. A new owner goes through the ownership change. The
    tier, and the owner of a key account, change only by a handover (422 otherwise)."""

    name: str = Field(None, min_length=1, max_length=200)
    external_ref: str | None = Field(None, max_length=200)
    parent: int | None = None
    sector: str | None = None
    employees: int | None = Field(None, ge=0)
    annual_revenue: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    year_established: int | None = Field(None, ge=1000, le=2999)
    country: str = Field(None, max_length=100)
    city: str = Field(None, max_length=100)
    owner: int = Field(None, description="Id of the new owner; not for a key account.")
    tier: Tier = Field(None, description="Only the current tier: the handover changes it.")
    is_strategic: bool = None
    revenue_potential: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    version: int | None = Field(
        None, description="The version you read; 409 if the record was saved since."
    )


AccountPageSchema = page_schema(AccountSchema)


def _account_fields(user, data: dict) -> dict:
    if "parent" in data:
        data["parent"] = referenced(
            visible_accounts(user), data["parent"], field="parent", kind="account"
        )
    if "sector" in data:
        data["sector"] = referenced(
            Sector.objects.all(), data["sector"], field="sector", kind="sector", lookup="code"
        )
    if "owner" in data:
        data["owner"] = referenced(
            assignable_owners(user), data["owner"], field="owner", kind="user"
        )
        if data["owner"] is None:
            del data["owner"]
    return data


@account_router.get(
    "", response={200: AccountPageSchema, **ERROR_RESPONSES}, summary="List accounts"
)
def list_accounts(request: HttpRequest, filters: Query[query_schema(AccountFilterSet)]):
    accounts = visible_accounts(request.auth).select_related("sector")
    accounts, _ordering = filtered_for_api(AccountFilterSet, filters, accounts, request.auth)
    return page_of(accounts, filters)


@account_router.post(
    "", response={201: AccountSchema, **ERROR_RESPONSES}, summary="Create an account"
)
def create_account_endpoint(request: HttpRequest, payload: AccountCreateSchema):
    fields = _account_fields(request.auth, payload.model_dump())
    return Status(201, create_account(acting_user=request.auth, **fields))


@account_router.get(
    "/{account_id}", response={200: AccountSchema, **ERROR_RESPONSES}, summary="Read an account"
)
def read_account(request: HttpRequest, account_id: int):
    return get_account_for(request.auth, account_id)


@account_router.patch(
    "/{account_id}", response={200: AccountSchema, **CHANGE_RESPONSES}, summary="Change an account"
)
def update_account_endpoint(request: HttpRequest, account_id: int, payload: AccountUpdateSchema):
    account = get_account_for(request.auth, account_id)
    changes = _account_fields(request.auth, payload.model_dump(exclude_unset=True))
    return update_account(account, acting_user=request.auth, **changes)


@account_router.delete(
    "/{account_id}", response={204: None, **ERROR_RESPONSES}, summary="Delete an account"
)
def delete_account_endpoint(request: HttpRequest, account_id: int):
    delete_account(get_account_for(request.auth, account_id), acting_user=request.auth)
    return Status(204, None)


# --- contacts --------------------------------------------------------------------------------


class ContactSchema(Schema):
    id: int
    account: int = Field(description="Id of the account.")
    first_name: str
    last_name: str
    job_title: str
    email: str
    phone: str
    hierarchy_level: HierarchyLevel
    buying_role: BuyingRole
    relationship_strength: int
    is_active: bool
    created_at: datetime.datetime
    version: int = Field(description="Grows with every save; send it back with a PATCH.")

    @staticmethod
    def resolve_account(obj) -> int:
        return obj.account_id


class ContactCreateSchema(Schema):
    account: int = Field(..., description="Id of an account you can see.")
    first_name: str = Field(..., min_length=1, max_length=100)
    last_name: str = Field(..., min_length=1, max_length=100)
    job_title: str = Field("", max_length=150)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=50)
    hierarchy_level: HierarchyLevel
    buying_role: BuyingRole
    relationship_strength: int = Field(3, ge=1, le=5)
    is_active: bool = True


class ContactUpdateSchema(Schema):
    """Only the fields sent are changed."""

    account: int = None
    first_name: str = Field(None, min_length=1, max_length=100)
    last_name: str = Field(None, min_length=1, max_length=100)
    job_title: str = Field(None, max_length=150)
    email: str = Field(None, max_length=254)
    phone: str = Field(None, max_length=50)
    hierarchy_level: HierarchyLevel = None
    buying_role: BuyingRole = None
    relationship_strength: int = Field(None, ge=1, le=5)
    is_active: bool = None
    version: int | None = Field(
        None, description="The version you read; 409 if the record was saved since."
    )


ContactPageSchema = page_schema(ContactSchema)


def _contact_fields(user, data: dict) -> dict:
    if "account" in data:
        data["account"] = referenced(
            visible_accounts(user), data["account"], field="account", kind="account"
        )
    return data


@contact_router.get(
    "", response={200: ContactPageSchema, **ERROR_RESPONSES}, summary="List contacts"
)
def list_contacts(request: HttpRequest, filters: Query[query_schema(ContactFilterSet)]):
    contacts = visible_contacts(request.auth)
    contacts, _ordering = filtered_for_api(ContactFilterSet, filters, contacts, request.auth)
    return page_of(contacts, filters)


@contact_router.post(
    "", response={201: ContactSchema, **ERROR_RESPONSES}, summary="Create a contact"
)
def create_contact_endpoint(request: HttpRequest, payload: ContactCreateSchema):
    fields = _contact_fields(request.auth, payload.model_dump())
    return Status(201, create_contact(acting_user=request.auth, **fields))


@contact_router.get(
    "/{contact_id}", response={200: ContactSchema, **ERROR_RESPONSES}, summary="Read a contact"
)
def read_contact(request: HttpRequest, contact_id: int):
    return get_contact_for(request.auth, contact_id)


@contact_router.patch(
    "/{contact_id}", response={200: ContactSchema, **CHANGE_RESPONSES}, summary="Change a contact"
)
def update_contact_endpoint(request: HttpRequest, contact_id: int, payload: ContactUpdateSchema):
    contact = get_contact_for(request.auth, contact_id)
    changes = _contact_fields(request.auth, payload.model_dump(exclude_unset=True))
    return update_contact(contact, acting_user=request.auth, **changes)


@contact_router.delete(
    "/{contact_id}", response={204: None, **ERROR_RESPONSES}, summary="Delete a contact"
)
def delete_contact_endpoint(request: HttpRequest, contact_id: int):
    delete_contact(get_contact_for(request.auth, contact_id), acting_user=request.auth)
    return Status(204, None)
