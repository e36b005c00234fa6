"""Exports of every list: the same columns for the web, the API and `tandem export`.

Each entity defines its columns once (English header names, stable: scripts depend on them).
Callers pass a queryset they have already scoped with the visibility selectors and filtered;
this module never widens it. The rows are read as `.values_list()` of the columns' fields from a
server-side iterator, not as model instances (building one per row was most of an export's
time); CSV and JSON are streamed row by row, XLSX is written with openpyxl's write-only
workbook, so a long list is never held in memory.

Text that a spreadsheet would run as a formula (a name typed as `=HYPERLINK(…)`) is written
as text: in CSV with a leading `'` (OWASP's advice on CSV injection), in XLSX as a string cell.
Numbers stay numbers, negative amounts too.

    export_rows("deals", qs)                    -> iterator of rows (lists of Python values)
    write_export("deals", qs, "csv", stream)    -> writes the file to a stream
    export_response("deals", qs, "xlsx")        -> a download for a web view
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import IO, Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.core.formatting import number
from tandem.core.periods import Period

FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CHUNK_SIZE = 2000
# the rows of one Excel sheet, the header's included: a longer list would not open whole, so
# it is refused
XLSX_MAX_ROWS = 1_048_576


class ExportError(ValueError):
    """An unknown entity or format; the message is meant for the user."""


@dataclass(frozen=True)
class Column:
    """A column reads `fields`, lookups of `.values_list()` ("owner__username": None where a
    link is empty): one field as it is, several through `combine`. A to-many relation is read
    instead by `value` from the row's model instance, with the entity's `prefetch_related` (one
    more query per chunk of rows)."""

    header: str
    fields: tuple[str, ...] = ()
    combine: Callable[..., Any] | None = None
    value: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class ExportEntity:
    name: str
    columns: tuple[Column, ...]
    prefetch_related: tuple[str, ...] = ()
    order_by: tuple[str, ...] = ("pk",)
    label: Any = field(default="", compare=False)

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    @property
    def fields(self) -> list[str]:
        return [name for column in self.columns for name in column.fields]

    @property
    def plain(self) -> bool:
        """Every column is one field as it is: a row is its fields' values."""
        return all(len(c.fields) == 1 and c.combine is None for c in self.columns)

    def prepare(self, queryset: QuerySet) -> QuerySet:
        # a list page's prefetches are of no use to `.values_list()`, which refuses them
        queryset = queryset.prefetch_related(None)
        if not queryset.query.order_by:
            queryset = queryset.order_by(*self.order_by)
        return queryset

    def instances(self, queryset: QuerySet, ids: list[Any]) -> dict[Any, Any]:
        """The rows `ids` as model instances holding only their id and the prefetched
        relations the to-many columns read."""
        rows = queryset.model._base_manager.only("pk").prefetch_related(*self.prefetch_related)
        return rows.in_bulk(ids)

    def row(self, values: tuple[Any, ...], instance: Any) -> list[Any]:
        """One row's columns from its fields' values (and its instance, for to-many ones)."""
        row, at = [], 0
        for column in self.columns:
            if column.value is not None:
                row.append(column.value(instance))
                continue
            taken = values[at : at + len(column.fields)]
            row.append(column.combine(*taken) if column.combine else taken[0])
            at += len(taken)
        return row


def col(header: str, path: str | None = None) -> Column:
    """`col("owner", "owner.username")`: the row's field, following the dots."""
    return Column(header, ((path or header).replace(".", "__"),))


def _period_code(kind: str, start: datetime.date, end: datetime.date) -> str:
    return Period(kind, start, end).code


def _contact_names(activity: Any) -> str:  # an Activity: an app above core
    return "; ".join(str(contact) for contact in activity.contacts.all())


def _aliases(product: Any) -> str:  # a Product: an app above core
    return "; ".join(sorted(alias.alias for alias in product.aliases.all()))


def _joined(relation: str, field: str) -> Callable[[Any], str]:
    """The `field` of each related row, sorted, joined by "; " (read from the prefetch)."""

    def get(obj: Any) -> str:
        return "; ".join(sorted(str(getattr(row, field)) for row in getattr(obj, relation).all()))

    return get


EXPORT_ENTITIES: dict[str, ExportEntity] = {
    entity.name: entity
    for entity in [
        ExportEntity(
            "accounts",
            (
                col("id", "pk"),
                col("name"),
                col("external_ref"),
                col("parent_id"),
                col("parent", "parent.name"),
                col("sector", "sector.code"),
                col("employees"),
                col("annual_revenue"),
                col("year_established"),
                col("country"),
                col("city"),
                col("owner", "owner.username"),
                col("tier"),
                col("strategic", "is_strategic"),
                col("revenue_potential"),
                col("created_at"),
            ),
            label=_("accounts"),
        ),
        ExportEntity(
            "contacts",
            (
                col("id", "pk"),
                col("account_id"),
                col("account", "account.name"),
                col("first_name"),
                col("last_name"),
                col("job_title"),
                col("email"),
                col("phone"),
                col("hierarchy_level"),
                col("buying_role"),
                col("relationship_strength"),
                col("active", "is_active"),
                col("created_at"),
            ),
            label=_("contacts"),
        ),
        ExportEntity(
            "deals",
            (
                col("id", "pk"),
                col("external_ref"),
                col("name"),
                col("account_id"),
                col("account", "account.name"),
                col("owner", "owner.username"),
                col("product_code", "product.code"),
                col("product", "product.name"),
                col("value"),
                col("stage", "stage.code"),
                col("outcome", "stage.outcome"),
                col("channel", "channel.code"),
                col("deal_type"),
                col("created_on"),
                col("engaged_on"),
                col("expected_close_on"),
                col("closed_on"),
                col("lost_reason"),
            ),
            label=_("deals"),
        ),
        ExportEntity(
            "activities",
            (
                col("id", "pk"),
                col("kind"),
                col("subject"),
                col("occurred_at"),
                col("account_id"),
                col("account", "account.name"),
                col("deal_id"),
                col("deal", "deal.name"),
                col("owner", "owner.username"),
                Column("contacts", value=_contact_names),
                col("notes"),
            ),
            prefetch_related=("contacts",),
            label=_("activities"),
        ),
        ExportEntity(
            "products",
            (
                col("id", "pk"),
                col("code"),
                col("name"),
                col("series"),
                col("list_price"),
                col("active", "is_active"),
                Column("aliases", value=_aliases),
            ),
            prefetch_related=("aliases",),
            label=_("products"),
        ),
        ExportEntity(
            "revenue",
            (
                col("id", "pk"),
                col("account_id"),
                col("account", "account.name"),
                col("account_external_ref", "account.external_ref"),
                col("product_code", "product.code"),
                col("product", "product.name"),
                col("invoiced_on"),
                col("quantity"),
                col("amount"),
            ),
            label=_("revenue"),
        ),
        ExportEntity(
            "stage_changes",
            (
                col("id", "pk"),
                col("deal_id"),
                col("deal", "deal.name"),
                col("deal_external_ref", "deal.external_ref"),
                col("from_stage", "from_stage.code"),
                col("to_stage", "to_stage.code"),
                col("changed_at"),
                col("changed_by", "changed_by.username"),
            ),
            label=_("stage changes"),
        ),
        ExportEntity(
            "insights",
            (
                col("id", "pk"),
                col("kind"),
                col("title"),
                col("body"),
                col("author", "author.username"),
                Column("accounts", value=_joined("accounts", "name")),
                Column("products", value=_joined("products", "code")),
                Column("sectors", value=_joined("sectors", "code")),
                col("created_at"),
                col("updated_at"),
            ),
            prefetch_related=("accounts", "products", "sectors"),
            label=_("insights and announcements"),
        ),
        ExportEntity(
            "people",
            (
                col("id", "pk"),
                col("username"),
                col("first_name"),
                col("last_name"),
                col("role"),
                col("team_id"),
                col("team", "team.name"),
            ),
            label=_("people"),
        ),
        ExportEntity(
            "hiring_positions",
            (
                col("id", "pk"),
                col("title"),
                col("team_id"),
                col("team", "team.name"),
                col("role", "profile.code"),
                col("level", "step.code"),
                col("hiring_manager", "hiring_manager.username"),
                col("status"),
                col("opened_on"),
                col("description"),
            ),
            label=_("positions"),
        ),
        ExportEntity(
            "hiring_candidates",
            (
                col("id", "pk"),
                col("position_id"),
                col("position", "position.title"),
                col("name"),
                col("email"),
                col("status"),
                col("note"),
                col("created_at"),
            ),
            label=_("candidates"),
        ),
        ExportEntity(
            "handovers",
            (
                col("id", "pk"),
                col("account_id"),
                col("account", "account.name"),
                col("from_user", "from_user.username"),
                col("to_kam", "to_kam.username"),
                col("proposed_by", "proposed_by.username"),
                col("status"),
                col("created_at"),
                col("submitted_at"),
                col("decided_at"),
                col("decision_reason"),
            ),
            label=_("handovers"),
        ),
        ExportEntity(
            "account_plans",
            (
                col("id", "pk"),
                col("account_id"),
                col("account", "account.name"),
                col("owner", "account.owner.username"),
                col("year"),
                col("growth_target_percent"),
                col("objectives"),
                col("risks"),
                col("created_at"),
                col("updated_at"),
            ),
            label=_("account plans"),
        ),
        ExportEntity(
            "renewals",
            (
                col("id", "pk"),
                col("name"),
                col("account_id"),
                col("account", "account.name"),
                col("owner", "account.owner.username"),
                col("start_on"),
                col("end_on"),
                col("notice_period_days"),
                col("annual_value"),
                col("renewal_terms"),
            ),
            label=_("upcoming renewals"),
        ),
        ExportEntity(
            "quotas",
            (
                col("id", "pk"),
                col("user", "user.username"),
                col("team_id"),
                col("team", "team.name"),
                col("metric"),
                Column("period", ("period_kind", "period_start", "period_end"), _period_code),
                col("period_kind"),
                col("period_start"),
                col("period_end"),
                col("target"),
            ),
            label=_("quotas"),
        ),
    ]
}


def get_entity(entity: str) -> ExportEntity:
    try:
        return EXPORT_ENTITIES[entity]
    except KeyError:
        raise ExportError(
            gettext("Unknown list {entity!r}; choose one of: {choices}.").format(
                entity=entity, choices=", ".join(EXPORT_ENTITIES)
            )
        ) from None


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ExportError(
            gettext("Unknown format {fmt!r}; choose one of: {choices}.").format(
                fmt=fmt, choices=", ".join(FORMATS)
            )
        )
    return fmt


Counted = Callable[[int], object]  # told the number of rows written so far, chunk by chunk


def export_rows(
    entity: str, queryset: QuerySet, counted: Counted | None = None
) -> Iterator[list[Any]]:
    """The rows of the export as Python values (no header), one query per chunk (and one
    more where a column reads a to-many relation)."""
    spec = get_entity(entity)
    queryset = spec.prepare(queryset)
    rows = queryset.values_list("pk", *spec.fields).iterator(chunk_size=CHUNK_SIZE)
    done = 0
    while chunk := list(islice(rows, CHUNK_SIZE)):
        if spec.plain:
            yield from (list(row[1:]) for row in chunk)
        else:
            ids = [row[0] for row in chunk]
            instances = spec.instances(queryset, ids) if spec.prefetch_related else {}
            yield from (spec.row(row[1:], instances.get(row[0])) for row in chunk)
        done += len(chunk)
        if counted is not None:
            counted(done)


# --- value conversion per format -----------------------------------------------------------


def text_value(value: Any) -> str:
    """A value as it is written to CSV: ISO dates, plain decimals, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# What a spreadsheet reads as the start of a formula (or, for tab and CR, may strip to one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_value(value: Any) -> str:
    """`text_value`, with text that a spreadsheet would run as a formula prefixed by `'`;
    numbers, dates and booleans are never touched (-12.50 stays a number). Plain text, empty
    values and whole or decimal numbers, most of a list's values, are told apart first: a
    million rows have some 18 million of them."""
    kind = type(value)
    if kind is str:
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if kind is int or kind is Decimal:
        return str(value)
    text = text_value(value)
    if isinstance(value, int | Decimal | float | datetime.date):  # bool is an int
        return text
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def json_value(value: Any) -> Any:
    """Decimals as strings (no float rounding), dates ISO, the rest as JSON knows it."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal | datetime.date):
        return text_value(value)
    return str(value)


def xlsx_value(value: Any) -> Any:
    """Excel has no time zones: datetimes are written in the server's local time."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, bool | int | Decimal | datetime.date):
        return value
    return str(value)


class _Echo:
    """A file-like object whose write returns what it was given (for streaming csv)."""

    def write(self, value: str) -> str:
        return value


def iter_csv(entity: str, queryset: QuerySet, counted: Counted | None = None) -> Iterator[str]:
    spec = get_entity(entity)
    writer = csv.writer(_Echo())
    yield writer.writerow(spec.headers)
    for row in export_rows(entity, queryset, counted):
        yield writer.writerow([csv_value(value) for value in row])


def iter_json(entity: str, queryset: QuerySet, counted: Counted | None = None) -> Iterator[str]:
    """A JSON array of objects keyed by the headers, produced piece by piece."""
    headers = get_entity(entity).headers
    yield "["
    first = True
    for row in export_rows(entity, queryset, counted):
        record = {h: json_value(v) for h, v in zip(headers, row, strict=True)}
        yield ("\n" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "\n]\n"


def write_xlsx(
    entity: str, queryset: QuerySet, stream: IO[bytes], counted: Counted | None = None
) -> None:
    # openpyxl takes a while to import; only Excel files need it, not every list page
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    spec = get_entity(entity)
    if queryset[:XLSX_MAX_ROWS].count() >= XLSX_MAX_ROWS:  # counted before any is written
        raise ExportError(
            gettext(
                "An Excel sheet holds at most {rows} rows; export the list as CSV or JSON, or "
                "narrow it with its filters."
            ).format(rows=number(XLSX_MAX_ROWS - 1))
        )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=entity[:31])

    def cell(value: Any) -> Any:
        """openpyxl writes a text starting with `=` as a formula and `#N/A` as an error:
        such text becomes a string cell. Other text is a string cell anyway."""
        value = xlsx_value(value)
        if isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES):
            text = WriteOnlyCell(sheet, value)
            text.data_type = "s"
            return text
        return value

    sheet.append([cell(header) for header in spec.headers])
    for row in export_rows(entity, queryset, counted):
        sheet.append([cell(value) for value in row])
    workbook.save(stream)


def _is_text_stream(stream: IO) -> bool:
    return isinstance(stream, io.TextIOBase) or (
        hasattr(stream, "encoding") and not isinstance(stream, io.BufferedIOBase)
    )


def write_export(
    entity: str, queryset: QuerySet, fmt: str, stream: IO, counted: Counted | None = None
) -> None:
    """Write the export to `stream`: text or binary for csv/json, binary for xlsx; `counted`
    follows the rows written (a job's progress)."""
    check_format(fmt)
    get_entity(entity)
    if fmt == "xlsx":
        target = stream.buffer if _is_text_stream(stream) and hasattr(stream, "buffer") else stream
        if hasattr(stream, "flush"):
            stream.flush()
        write_xlsx(entity, queryset, target, counted)
        return
    chunks: Iterable[str] = (
        iter_csv(entity, queryset, counted)
        if fmt == "csv"
        else iter_json(entity, queryset, counted)
    )
    if _is_text_stream(stream):
        for chunk in chunks:
            stream.write(chunk)
        return
    wrapper = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    try:
        for chunk in chunks:
            wrapper.write(chunk)
        wrapper.flush()
    finally:
        wrapper.detach()


def export_filename(entity: str, fmt: str) -> str:
    return "tandem-{entity}-{day}.{fmt}".format(
        entity=entity.replace("_", "-"), day=timezone.localdate().isoformat(), fmt=fmt
    )


def export_response(
    entity: str, queryset: QuerySet, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    """A download of the (already scoped and filtered) queryset, e.g. for `?export=csv`."""
    check_format(fmt)
    get_entity(entity)
    filename = export_filename(entity, fmt)
    disposition = f'attachment; filename="{filename}"'
    response: HttpResponse | StreamingHttpResponse
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(entity, queryset, buffer)
        response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[fmt])
    else:
        chunks = iter_csv(entity, queryset) if fmt == "csv" else iter_json(entity, queryset)
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in chunks), content_type=CONTENT_TYPES[fmt]
        )
    response["Content-Disposition"] = disposition
    return response
