"""Lists: limit/offset pagination with the total count, and an ordering parameter (its values
come from the list's filter set: tandem/core/filters.py)."""

from types import GenericAlias
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import create_model

MAX_LIMIT = 500
# No list holds a billion rows; a larger offset would only overflow the database's OFFSET.
MAX_OFFSET = 10**9


class ListParamsSchema(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Rows per page (at most 500).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rows to skip (at most 10⁹).")
    ordering: str | None = Field(
        None, description="A field to order by; prefix it with `-` for descending order."
    )


def page_schema(item_schema: type[Schema]) -> type[Schema]:
    """`{count, limit, offset, items}` for one kind of row."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    items: Any = GenericAlias(list, item_schema)  # list[item_schema]: a type made at run time
    return create_model(
        name,
        __base__=Schema,
        count=(int, Field(..., description="Rows matching the filters, on all pages.")),
        limit=(int, ...),
        offset=(int, ...),
        items=(items, ...),
    )


def page_of(queryset: QuerySet, params: ListParamsSchema) -> dict:
    """`{count, limit, offset, items}` of an ordered queryset: the rows from `offset` on."""
    count = queryset.count()
    items = list(queryset[params.offset : params.offset + params.limit])
    return {"count": count, "limit": params.limit, "offset": params.offset, "items": items}
