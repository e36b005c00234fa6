"""Activity pages: thin, reads through the selectors, writes through the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.accounts.selectors import visible_accounts, visible_contacts
from tandem.activities.filters import ActivityFilterSet
from tandem.activities.forms import ActivityForm
from tandem.activities.selectors import get_activity_for, visible_activities
from tandem.activities.services import create_activity, update_activity
from tandem.core.errors import DomainError
from tandem.core.lists import (
    add_service_error,
    filtered_list,
)
from tandem.pipeline.selectors import visible_deals

FORM_FIELDS = ("account", "deal", "kind", "subject", "occurred_at", "notes")


@login_required
def activity_list(request):
    activities = (
        visible_activities(request.user)
        .select_related("account", "owner", "deal")
        .prefetch_related("contacts")
    )
    return filtered_list(
        request,
        ActivityFilterSet(request.GET, queryset=activities, user=request.user),
        entity="activities",
        list_id="activity",
        template="activities/activity_list.html",
        partial="activities/_activity_results.html",
    )


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
