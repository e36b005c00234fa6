"""Activity pages: thin, reads through the selectors, writes through the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.accounts.selectors import visible_accounts, visible_contacts
from tandem.activities.forms import ActivityFilterForm, ActivityForm
from tandem.activities.selectors import get_activity_for, visible_activities
from tandem.activities.services import create_activity, update_activity
from tandem.core.errors import DomainError
from tandem.core.lists import (
    EXPORT_FORMATS,
    add_service_error,
    export,
    export_requested,
    is_htmx,
    paginate,
    sort_queryset,
)
from tandem.pipeline.selectors import visible_deals

ACTIVITY_COLUMNS = {
    "when": ("occurred_at",),
    "kind": ("kind", "-occurred_at"),
    "subject": ("subject",),
    "account": ("account__name", "-occurred_at"),
    "owner": ("owner__last_name", "owner__first_name", "-occurred_at"),
}
FORM_FIELDS = ("account", "deal", "kind", "subject", "occurred_at", "notes")


@login_required
def activity_list(request):
    user = request.user
    filters = ActivityFilterForm(request.GET, accounts=visible_accounts(user))
    activities = (
        filters.filter(visible_activities(user))
        .select_related("account", "owner", "deal")
        .prefetch_related("contacts")
    )
    activities, sort = sort_queryset(activities, request.GET.get("sort"), ACTIVITY_COLUMNS, "-when")
    if fmt := export_requested(request):
        return export("activities", activities, fmt)
    context = {
        "filters": filters,
        "page_obj": paginate(request, activities),
        "sort": sort,
        "export_formats": EXPORT_FORMATS,
    }
    if is_htmx(request):
        return render(request, "activities/_activity_results.html", context)
    return render(request, "activities/activity_list.html", context)


def _form(request, *, data=None, instance=None, initial=None):
    user = request.user
    return ActivityForm(
        data,
        instance=instance,
        initial=initial,
        accounts=visible_accounts(user),
        deals=visible_deals(user),
        contacts=visible_contacts(user),
    )


def _initial_from_query(request) -> dict:
    """Prefill from the query string (the account page's link, the account picker's reload)."""
    initial = {name: request.GET[name] for name in FORM_FIELDS if request.GET.get(name)}
    if contacts := request.GET.getlist("contacts"):
        initial["contacts"] = contacts
    return initial


def _save(request, form, activity=None):
    data = dict(form.cleaned_data)
    contacts = list(data.pop("contacts"))
    try:
        if activity is None:
            return create_activity(acting_user=request.user, contacts=contacts, **data)
        return update_activity(activity, acting_user=request.user, contacts=contacts, **data)
    except (DomainError, ValidationError) as error:
        add_service_error(form, error)
        return None


def _render_form(request, form, activity=None):
    template = "activities/activity_form.html"
    return render(request, template, {"form": form, "activity": activity})


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    if request.method == "POST":
        form = _form(request, data=request.POST)
        if form.is_valid() and (activity := _save(request, form)):
            messages.success(request, _("Activity “{subject}” logged.").format(subject=activity))
            return redirect("accounts:account_detail", activity.account_id)
    else:
        initial = _initial_from_query(request)
        initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))
        form = _form(request, initial=initial)
    return _render_form(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = get_activity_for(request.user, pk)
    if request.method == "POST":
        form = _form(request, data=request.POST, instance=activity)
        if form.is_valid() and (saved := _save(request, form, activity)):
            messages.success(request, _("Activity “{subject}” saved.").format(subject=saved))
            return redirect("accounts:account_detail", saved.account_id)
    else:
        initial = _initial_from_query(request) if request.GET.get("account") else None
        form = _form(request, instance=activity, initial=initial)
    return _render_form(request, form, activity)
