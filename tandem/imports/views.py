"""The imports page: every ImportRun with its status and report, for admins only."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from tandem.imports.models import ImportRun
from tandem.imports.services import render_message
from tandem.users.models import Role

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
    runs = ImportRun.objects.select_related("acting_user").order_by("-started_at", "-pk")
    page = Paginator(runs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/import_list.html",
        {"page": page, "runs": [run_view(run) for run in page.object_list]},
    )
