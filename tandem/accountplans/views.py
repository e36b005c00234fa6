"""Account-plan pages: the list (with the key accounts that miss a plan), a plan with its
actions (added and moved inline with htmx), and the QBR pack as a page and a PDF."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.accountplans.charts import revenue_svg
from tandem.accountplans.filters import FIRST_YEAR, LAST_YEAR, AccountPlanFilterSet
from tandem.accountplans.forms import ActionForm, ActionStatusForm, PlanForm, plan_initial
from tandem.accountplans.models import ActionStatus
from tandem.accountplans.selectors import (
    SHOW_ALL,
    SHOW_MISSING,
    SHOW_PLANNED,
    get_action_for,
    get_key_account_for,
    get_plan_for,
    key_accounts_without_plan,
    open_actions_of,
    qbr_pack,
    qbr_period,
    visible_key_accounts,
    visible_plans,
    with_action_counts,
)
from tandem.accountplans.services import (
    add_action,
    can_edit_plan,
    can_update_action,
    create_plan,
    delete_action,
    delete_plan,
    update_action,
    update_plan,
)
from tandem.accounts.models import Account
from tandem.core.errors import DomainError
from tandem.core.lists import (
    EXPORT_FORMATS,
    add_service_error,
    export,
    export_requested,
    is_htmx,
    paginate,
)
from tandem.core.periods import Period, PeriodKind


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if FIRST_YEAR <= year <= LAST_YEAR else timezone.localdate().year


@login_required
def plan_list(request):
    """This year's plans (or the year asked for) through the plan filter set: sortable, paged
    and exported as on every list; beside them the key accounts still without a plan for the
    year (`show`: all, missing or planned picks the sections). An invalid year lists nothing."""
    user, today = request.user, timezone.localdate()
    data = request.GET.copy()
    if not data.get("year"):
        data["year"] = str(today.year)
    plans = with_action_counts(visible_plans(user), today)
    filters = AccountPlanFilterSet(data, queryset=plans, user=user)
    plans, sort = filters.ordered(filters.qs, request.GET.get("sort"))
    if fmt := export_requested(request):
        return export(request, "account_plans", plans, fmt, filters)
    show = request.GET.get("show", SHOW_ALL)
    if show not in (SHOW_ALL, SHOW_MISSING, SHOW_PLANNED):
        show = SHOW_ALL
    year = filters.form.cleaned_data.get("year") if filters.is_valid() else None
    missing = []
    if year is not None and show != SHOW_PLANNED:
        accounts = key_accounts_without_plan(user, year)
        if account := filters.form.cleaned_data.get("account"):
            accounts = accounts.filter(pk=account)
        missing = list(accounts)
    shown_year = year or today.year
    context = {
        "filters": filters,
        "page_obj": paginate(request, plans if show != SHOW_MISSING else plans.none()),
        "sort": sort,
        "export_formats": EXPORT_FORMATS,
        "list_id": "plan",
        "missing_accounts": missing,
        "editable": set(_editable_accounts(user)),
        "chart": actions_chart(plans) if show != SHOW_MISSING else None,
        "year": year,
        "years": [shown_year - 1, shown_year, shown_year + 1],
        "show": show,
        "this_year": today.year,
        "my_actions": _mark(list(open_actions_of(user)), user),
        "status_choices": ActionStatus.choices,
    }
    return render(request, "accountplans/plan_list.html", context)


CHART_ACCOUNTS = 30


def actions_chart(plans) -> dict | None:
    """The actions of each plan in the list (every page) by status, for a stacked bar chart
    (the plans with the most actions first, at most 30)."""
    plans = sorted(
        (plan for plan in plans if plan.actions_total),
        key=lambda plan: (-plan.actions_total, plan.account.name),
    )[:CHART_ACCOUNTS]
    if not plans:
        return None
    fields = {
        ActionStatus.DONE: "actions_done",
        ActionStatus.IN_PROGRESS: "actions_in_progress",
        ActionStatus.OPEN: "actions_open",
        ActionStatus.BLOCKED: "actions_blocked",
    }
    labels = dict(ActionStatus.choices)
    return {
        "height": max(160, 48 + 26 * len(plans)),
        "accounts": [plan.account.name for plan in reversed(plans)],
        "series": [
            {
                "status": status,
                "name": str(labels[status]),
                "data": [getattr(plan, field) for plan in reversed(plans)],
            }
            for status, field in fields.items()
        ],
        "overdue_label": _("overdue"),
        "overdue": [plan.actions_overdue for plan in reversed(plans)],
    }


def _editable_accounts(user):
    accounts = visible_key_accounts(user).select_related("owner__team").order_by("name")
    return [a.pk for a in accounts if can_edit_plan(user, a)]


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    editable = Account.objects.filter(pk__in=_editable_accounts(request.user)).order_by("name")
    if not editable.exists():
        raise PermissionDenied
    initial = {"year": _year(request), "account": request.GET.get("account")}
    form = PlanForm(request.POST or None, accounts=editable, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = create_plan(
                data.pop("account"), data.pop("year"), acting_user=request.user, **data
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Account plan created."))
            return redirect("accountplans:plan_detail", plan.pk)
    return render(request, "accountplans/plan_form.html", {"form": form, "plan": None})


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    plan = get_plan_for(request.user, pk)
    if not can_edit_plan(request.user, plan.account):
        raise PermissionDenied
    form = PlanForm(request.POST or None, plan=plan, initial=plan_initial(plan))
    if request.method == "POST" and form.is_valid():
        try:
            update_plan(plan, acting_user=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Account plan saved."))
            return redirect("accountplans:plan_detail", plan.pk)
    return render(request, "accountplans/plan_form.html", {"form": form, "plan": plan})


@login_required
@require_POST
def plan_delete(request, pk: int):
    plan = get_plan_for(request.user, pk)
    try:
        delete_plan(plan, acting_user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("accountplans:plan_detail", plan.pk)
    messages.success(request, _("Account plan deleted."))
    return redirect("accountplans:plan_list")


def _mark(actions, user, editable: bool = False):
    """Set `overdue` and `movable` (may the user move its status) on each action."""
    today = timezone.localdate()
    for action in actions:
        action.overdue = action.status != ActionStatus.DONE and action.due_on < today
        action.movable = editable or action.owner_id == user.pk
    return actions


def _plan_context(request, plan, action_form=None) -> dict:
    today = timezone.localdate()
    editable = can_edit_plan(request.user, plan.account)
    actions = _mark(list(plan.actions.select_related("owner")), request.user, editable)
    quarters = [Period.starting(PeriodKind.QUARTER, plan_start(plan, q)) for q in range(4)]
    return {
        "plan": plan,
        "account": plan.account,
        "editable": editable,
        "actions": actions,
        "action_form": action_form or ActionForm(initial={"owner": request.user}),
        "status_choices": ActionStatus.choices,
        "quarters": quarters,
        "reviews": plan.reviews.all(),
        "whitespace": plan.whitespace.order_by("name"),
        "today": today,
    }


def plan_start(plan, quarter: int):
    return datetime.date(plan.year, quarter * 3 + 1, 1)


@login_required
def plan_detail(request, pk: int):
    plan = get_plan_for(request.user, pk)
    return render(request, "accountplans/plan_detail.html", _plan_context(request, plan))


@login_required
@require_POST
def action_add(request, pk: int):
    plan = get_plan_for(request.user, pk)
    if not can_edit_plan(request.user, plan.account):
        raise PermissionDenied
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            add_action(plan, acting_user=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            if not is_htmx(request):
                messages.success(request, _("Action added."))
                return redirect("accountplans:plan_detail", plan.pk)
            form = None
    context = _plan_context(request, plan, form)
    if is_htmx(request):
        return render(request, "accountplans/_actions.html", context)
    return render(request, "accountplans/plan_detail.html", context)


@login_required
@require_POST
def action_status(request, pk: int):
    action = get_action_for(request.user, pk)
    if not can_update_action(request.user, action):
        raise PermissionDenied
    form = ActionStatusForm(request.POST)
    error = None
    if form.is_valid():
        try:
            update_action(action, acting_user=request.user, **form.cleaned_data)
        except DomainError as problem:
            error = problem.message
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Action saved."))
        if request.POST.get("next") == "list":
            return redirect("accountplans:plan_list")
        return redirect("accountplans:plan_detail", action.plan_id)
    action.refresh_from_db()
    action.overdue = action.status != ActionStatus.DONE and action.due_on < timezone.localdate()
    action.movable = True
    context = {
        "action": action,
        "editable": can_edit_plan(request.user, action.plan.account),
        "status_choices": ActionStatus.choices,
        "row_error": error,
    }
    return render(request, "accountplans/_action_row.html", context)


@login_required
@require_POST
def action_remove(request, pk: int):
    action = get_action_for(request.user, pk)
    plan_pk = action.plan_id
    try:
        delete_action(action, acting_user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Action deleted."))
    return redirect("accountplans:plan_detail", plan_pk)


# --- the QBR pack --------------------------------------------------------------------------


def _qbr(request, account_pk: int) -> dict:
    account = get_key_account_for(request.user, account_pk)
    try:
        period = qbr_period(request.GET.get("period"))
    except DomainError as error:
        raise Http404(error.message) from error
    pack = qbr_pack(account, period)
    pack["chart"] = revenue_svg(pack["revenue"]["trend"])
    current = Period.containing(timezone.localdate(), PeriodKind.QUARTER)
    pack["periods"] = sorted(
        {current.shifted(-i) for i in range(9)} | {period}, key=lambda p: p.start, reverse=True
    )
    pack["language"] = get_language()
    return pack


@login_required
def qbr(request, account_pk: int):
    return render(request, "accountplans/qbr.html", _qbr(request, account_pk))


@login_required
def qbr_pdf(request, account_pk: int):
    # WeasyPrint loads Pango and its fonts: only when a PDF is asked for, not with every page
    from weasyprint import HTML

    pack = _qbr(request, account_pk)
    html = render_to_string("accountplans/qbr_pdf.html", pack, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"QBR-{pack['period'].code}-{pack['account'].pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
