"""REST endpoints of insights and announcements: the caller's feed, and posting, editing and
deleting their own posts. The same selectors and services as the web page."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from tandem.accounts.models import Sector
from tandem.accounts.selectors import visible_accounts
from tandem.catalog.models import Product
from tandem.core.api.errors import ERROR_RESPONSES, FieldError, unknown_reference
from tandem.core.api.listing import page_of, page_schema
from tandem.core.filters import filtered_for_api, query_schema
from tandem.core.validation import Line, Text
from tandem.insights.filters import PostFilterSet
from tandem.insights.models import PostKind
from tandem.insights.selectors import get_post_for, kinds_written_by, visible_posts, with_tags
from tandem.insights.services import create_post, delete_post, update_post

router = Router()


class PostSchema(Schema):
    id: int
    kind: PostKind
    author: int
    author_name: str
    title: str
    body: str
    accounts: list[int]
    products: list[str] = Field(description="Product codes.")
    sectors: list[str] = Field(description="Sector codes.")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_author(obj) -> int:
        return obj.author_id

    @staticmethod
    def resolve_author_name(obj) -> str:
        return str(obj.author)

    @staticmethod
    def resolve_accounts(obj) -> list[int]:
        return sorted(a.pk for a in obj.accounts.all())

    @staticmethod
    def resolve_products(obj) -> list[str]:
        return sorted(p.code for p in obj.products.all())

    @staticmethod
    def resolve_sectors(obj) -> list[str]:
        return sorted(s.code for s in obj.sectors.all())


class PostInSchema(Schema):
    kind: PostKind = Field(description="insight (KAMs) or announcement (Sales Managers)")
    title: Line
    body: Text
    accounts: list[int] = Field([], description="Ids of accounts you can see.")
    products: list[Line] = Field([], description="Product codes.")
    sectors: list[Line] = Field([], description="Sector codes.")


class PostPatchSchema(Schema):
    kind: PostKind | None = None
    title: Line | None = None
    body: Text | None = None
    accounts: list[int] | None = None
    products: list[Line] | None = None
    sectors: list[Line] | None = None


PostPageSchema = page_schema(PostSchema)


def _accounts(user, ids: list[int]):
    found = list(visible_accounts(user).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise unknown_reference("accounts", "account")
    return found


def _by_code(model, codes: list[str], field: str, kind: str):
    found = list(model.objects.filter(code__in=codes))
    if len(found) != len(set(codes)):
        if kind == "product":
            raise FieldError(field, _("There is no product with this code."))
        raise unknown_reference(field, kind)
    return found


def _tags(user, payload) -> dict:
    tags = {}
    if payload.accounts is not None:
        tags["accounts"] = _accounts(user, payload.accounts)
    if payload.products is not None:
        tags["products"] = _by_code(Product, payload.products, "products", "product")
    if payload.sectors is not None:
        tags["sectors"] = _by_code(Sector, payload.sectors, "sectors", "sector")
    return tags


def _read(user, pk: int):
    return with_tags(visible_posts(user)).get(pk=pk)


@router.get("", response={200: PostPageSchema, **ERROR_RESPONSES}, summary="Your feed")
def list_posts(request: HttpRequest, filters: Query[query_schema(PostFilterSet)]):
    posts, _ordering = filtered_for_api(
        PostFilterSet, filters, visible_posts(request.auth), request.auth
    )
    return page_of(with_tags(posts), filters)


@router.post("", response={201: PostSchema, **ERROR_RESPONSES}, summary="Post")
def create(request: HttpRequest, payload: PostInSchema):
    if not kinds_written_by(request.auth):
        raise PermissionDenied
    post = create_post(
        acting_user=request.auth,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        **_tags(request.auth, payload),
    )
    return Status(201, _read(request.auth, post.pk))


@router.get("/{post_id}", response={200: PostSchema, **ERROR_RESPONSES}, summary="Read a post")
def read(request: HttpRequest, post_id: int):
    get_post_for(request.auth, post_id)
    return _read(request.auth, post_id)


@router.patch("/{post_id}", response={200: PostSchema, **ERROR_RESPONSES}, summary="Edit your post")
def edit(request: HttpRequest, post_id: int, payload: PostPatchSchema):
    post = get_post_for(request.auth, post_id)
    update_post(
        post,
        acting_user=request.auth,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        **_tags(request.auth, payload),
    )
    return _read(request.auth, post_id)


@router.delete("/{post_id}", response={204: None, **ERROR_RESPONSES}, summary="Delete your post")
def remove(request: HttpRequest, post_id: int):
    delete_post(get_post_for(request.auth, post_id), acting_user=request.auth)
    return Status(204, None)
