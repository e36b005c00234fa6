"""The imports page: every ImportRun with its status and report, for admins only."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from tandem.core.lists import paginate
from tandem.imports.filters import ImportRunFilterSet
from tandem.imports.models import ImportRun
from tandem.imports.services import render_message
from tandem.users.models import Role

PAGE_SIZE = 20
SHOWN_ERRORS = 50
RECORD_NAMES = {
    "regions": _("regions"),
    "users": _("users"),
    "teams": _("teams"),
    "products": _("products"),
    "product aliases": _("product aliases"),
    "accounts": _("accounts"),
    "contacts": _("contacts"),
    "deals": _("deals"),
    "stage changes": _("stage changes"),
    "revenue lines": _("revenue lines"),
}


def may_see_imports(user) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


def run_view(run: ImportRun) -> dict:
    report = run.report or {}
    errors = report.get("errors") or []
    return {
        "run": run,
        "records": {
            RECORD_NAMES.get(what, what): counts
            for what, counts in (report.get("records") or {}).items()
        },
        "notes": [render_message(note) for note in report.get("notes") or []],
        "errors": [
            {"line": error.get("line"), "text": render_message(error)}
            for error in errors[:SHOWN_ERRORS]
        ],
        "more_errors": max(0, (report.get("error_count") or len(errors)) - SHOWN_ERRORS),
        "dry_run": report.get("dry_run", False),
    }


@login_required
def import_list(request):
    if not may_see_imports(request.user):
        raise PermissionDenied
    runs = ImportRun.objects.select_related("acting_user")
    filters = ImportRunFilterSet(request.GET, queryset=runs, user=request.user)
    requested = request.GET.get("sort")
    runs, _sort = filters.ordered(filters.qs, requested)
    page = paginate(request, runs, PAGE_SIZE)
    return render(
        request,
        "imports/import_list.html",
        {
            "filters": filters,
            "filtering": any(filters.data.get(name) for name in filters.filters),
            "sort": requested if filters.is_ordering(requested) else "",
            "page": page,
            "runs": [run_view(run) for run in page.object_list],
        },
    )
