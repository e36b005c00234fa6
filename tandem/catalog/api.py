"""REST endpoints for the product catalogue: everyone signed in reads it, admins change it."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from tandem.catalog.filters import ProductFilterSet
from tandem.catalog.selectors import may_change_catalogue, visible_products
from tandem.catalog.services import create_product, delete_product, update_product
from tandem.core.api.errors import ERROR_RESPONSES
from tandem.core.api.listing import page_of, page_schema
from tandem.core.filters import filtered_for_api, query_schema
from tandem.core.validation import Line

product_router = Router()


class ProductSchema(Schema):
    id: int
    code: str
    name: str
    series: str
    list_price: Decimal | None
    is_active: bool
    aliases: list[str] = Field(description="Other spellings found in imported data.")

    @staticmethod
    def resolve_aliases(obj) -> list[str]:
        return sorted(alias.alias for alias in obj.aliases.all())


class ProductCreateSchema(Schema):
    code: Line = Field(..., min_length=1, max_length=50)
    name: Line = Field(..., min_length=1, max_length=200)
    series: Line = Field("", max_length=100)
    list_price: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    is_active: bool = True


class ProductUpdateSchema(Schema):
    """Only the fields sent are changed."""

    code: Line = Field(None, min_length=1, max_length=50)
    name: Line = Field(None, min_length=1, max_length=200)
    series: Line = Field(None, max_length=100)
    list_price: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    is_active: bool = None


ProductPageSchema = page_schema(ProductSchema)


def _products(user):
    return visible_products(user).prefetch_related("aliases")


def _require_catalogue_rights(user) -> None:
    if not may_change_catalogue(user):
        raise PermissionDenied


@product_router.get(
    "", response={200: ProductPageSchema, **ERROR_RESPONSES}, summary="List products"
)
def list_products(request: HttpRequest, filters: Query[query_schema(ProductFilterSet)]):
    products = _products(request.auth)
    products, _ordering = filtered_for_api(ProductFilterSet, filters, products, request.auth)
    return page_of(products, filters)


@product_router.post(
    "", response={201: ProductSchema, **ERROR_RESPONSES}, summary="Create a product (admins)"
)
def create_product_endpoint(request: HttpRequest, payload: ProductCreateSchema):
    _require_catalogue_rights(request.auth)
    return Status(201, create_product(acting_user=request.auth, **payload.model_dump()))


@product_router.get(
    "/{product_id}", response={200: ProductSchema, **ERROR_RESPONSES}, summary="Read a product"
)
def read_product(request: HttpRequest, product_id: int):
    return get_object_or_404(_products(request.auth), pk=product_id)


@product_router.patch(
    "/{product_id}",
    response={200: ProductSchema, **ERROR_RESPONSES},
    summary="Change a product (admins)",
)
def update_product_endpoint(request: HttpRequest, product_id: int, payload: ProductUpdateSchema):
    product = get_object_or_404(_products(request.auth), pk=product_id)
    _require_catalogue_rights(request.auth)
    return update_product(
        product, acting_user=request.auth, **payload.model_dump(exclude_unset=True)
    )


@product_router.delete(
    "/{product_id}", response={204: None, **ERROR_RESPONSES}, summary="Delete a product (admins)"
)
def delete_product_endpoint(request: HttpRequest, product_id: int):
    product = get_object_or_404(_products(request.auth), pk=product_id)
    _require_catalogue_rights(request.auth)
    delete_product(product, acting_user=request.auth)
    return Status(204, None)
