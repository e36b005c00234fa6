"""Small helpers the web lists and forms share: sorting, paging, exporting, service errors."""

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tandem.core.errors import DomainError, StaleRecord
from tandem.core.exports import FORMATS as EXPORT_FORMATS
from tandem.core.exports import export_response

PAGE_SIZE = 50
TABLE_ROWS = 25  # rows of a summary table before the page asks for ?rows=all


def is_htmx(request) -> bool:
    """The request came from htmx (or the board's fetch, which sends the same header)."""
    return request.headers.get("HX-Request") == "true"


def sort_queryset(
    queryset, requested: str | None, columns: dict[str, tuple[str, ...]], default: str
):
    """Order by one of `columns` (key -> model fields); a leading "-" sorts descending.

    Returns the ordered queryset and the sort key actually used (unknown keys fall back to
    `default`). The primary key is always the last tie-breaker so pages never overlap.
    """
    key = requested or default
    descending = key.startswith("-")
    if key.lstrip("-") not in columns:
        key, descending = default, default.startswith("-")
    fields = columns[key.lstrip("-")]
    order = [f"-{field}" if descending else field for field in fields]
    return queryset.order_by(*order, "-pk" if descending else "pk"), key


def first_rows(rows: list, every_row: bool) -> tuple[list, int]:
    """A summary table's first TABLE_ROWS rows (all when asked) and how many more there are."""
    if every_row or len(rows) <= TABLE_ROWS:
        return rows, 0
    return rows[:TABLE_ROWS], len(rows) - TABLE_ROWS


def paginate(request, queryset, per_page: int = PAGE_SIZE, *, count: int | None = None):
    """The requested page (bad or too large page numbers show the nearest real page); `count`
    when the rows were counted already (no second COUNT)."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get("page"))


def export_requested(request) -> str | None:
    fmt = request.GET.get("export")
    if fmt is None:
        return None
    if fmt not in EXPORT_FORMATS:
        raise Http404("Unknown export format")
    return fmt


class LongExports:
    """Where a list's export goes when it is too long for a page request: `ask(user, entity,
    fmt, filters, sort)` hands it to a job and returns the address of the job's page. The job
    is on the io floor (tandem/imports/jobs.py), which sets `ask` as it starts: core cannot
    import it."""

    ask: Callable[..., str] | None = None


long_exports = LongExports()


def export(
    request, entity: str, queryset, fmt: str, filters
) -> HttpResponse | StreamingHttpResponse | HttpResponseRedirect:
    """The list as a file, through the one export function the CLI and the API use too. More
    than EXPORT_INLINE_ROWS rows are written by a job instead, and the answer is the job's page:
    a page request killed by the server's timeout would end the download early as if complete.
    The job filters and sorts through the same filter set, with the user's scope."""
    limit = settings.EXPORT_INLINE_ROWS
    if queryset[: limit + 1].count() <= limit:
        return export_response(entity, queryset, fmt)
    if long_exports.ask is None:
        raise ImproperlyConfigured("No job writes long exports (tandem.imports is not installed).")
    requested = request.GET.get("sort")
    sort = requested if filters.is_ordering(requested) else filters.default_ordering
    values = {name: filters.data.get(name) for name in filters.filters}
    chosen = {name: str(value) for name, value in values.items() if value not in (None, "")}
    return redirect(long_exports.ask(request.user, entity, fmt, chosen, sort))


def keep_version(form: forms.ModelForm) -> None:
    """Carry the record's version in a hidden field, so that saving over a change someone
    else made since the form was opened is told (StaleRecord), not done silently."""
    if form.instance.pk is None:
        return
    form.fields["version"] = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1
    )
    form.initial["version"] = form.instance.version


def add_service_error(form, error: Exception) -> None:
    """Show a service's DomainError or ValidationError on the form, next to its field."""
    if isinstance(error, StaleRecord):
        # The form keeps the user's values and now carries the stored version: saving again,
        # knowingly, goes over the other change.
        if "version" in form.fields:
            form.data = form.data.copy()
            form.data[form.add_prefix("version")] = str(error.current)
        hint = _("Reload the page to see their change, or save again to keep yours.")
        form.add_error(None, f"{error.message} {hint}")
        return
    if isinstance(error, DomainError):
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    form.add_error(None, error)


def filtered_list(
    request,
    filters,
    *,
    entity: str,
    list_id: str,
    template: str,
    partial: str,
    extra: dict | None = None,
) -> HttpResponse | StreamingHttpResponse:
    """A list page: the rows of its filter set, sorted by ?sort=, one page of them (or all of
    them as a file for ?export=); htmx asks for the results part only. The results part
    extends core/_list_results.html (`list_id` names its section and table)."""
    rows, sort = filters.ordered(filters.qs, request.GET.get("sort"))
    if fmt := export_requested(request):
        return export(request, entity, rows, fmt, filters)
    context = {
        "filters": filters,
        "page_obj": paginate(request, rows),
        "sort": sort,
        "export_formats": EXPORT_FORMATS,
        "list_id": list_id,
        **(extra or {}),
    }
    return render(request, partial if is_htmx(request) else template, context)
