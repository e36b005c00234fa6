"""Compensation pages: payouts, the statement with its what-if, plans and salary bands.

Thin: the numbers come from selectors.statement, every write goes through services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.compensation.forms import (
    BandForm,
    CompanyProfileForm,
    ComponentForm,
    ComponentFormSet,
    PlanForm,
    WhatIfForm,
)
from tandem.compensation.models import (
    SALES_METRICS,
    CompanyProfile,
    CompanySize,
    Industry,
    Level,
    SalaryBand,
)
from tandem.compensation.selectors import (
    band_check,
    bands,
    curve_points,
    deal_for_what_if,
    default_period,
    get_payee_for,
    get_plan_for,
    plans_overlapping,
    statement,
    visible_payees,
    visible_plans,
    what_if,
    what_if_deals,
)
from tandem.compensation.services import (
    delete_plan,
    may_manage_plans,
    save_plan,
    set_company_profile,
    update_band,
)
from tandem.core.errors import DomainError
from tandem.core.lists import add_service_error, is_htmx, paginate
from tandem.core.periods import Period
from tandem.users.models import Role


def _number(value) -> float | None:
    return None if value is None else float(value)


def _period(request, person) -> tuple[Period, str | None]:
    text = request.GET.get("period")
    if not text:
        return default_period(person), None
    try:
        return Period.parse(text), None
    except DomainError as error:
        return default_period(person), error.message


def _common(request) -> dict:
    return {"can_manage": may_manage_plans(request.user)}


@login_required
def overview(request):
    user = request.user
    period, error = _period(request, user)
    mine = statement(user, period)
    others = visible_payees(user).exclude(pk=user.pk).select_related("team")
    page_obj = paginate(request, others.order_by("last_name", "first_name", "username"))
    plans = list(plans_overlapping(period))
    rows = [statement(person, period, plans=plans) for person in page_obj.object_list]
    chart_rows = [row for row in [mine, *rows] if row.has_plan]
    chart = {
        "names": [str(row.person) for row in chart_rows],
        "payout": [_number(row.payout) for row in chart_rows],
        "target": [_number(row.variable_target) for row in chart_rows],
        "payout_label": _("Payout"),
        "target_label": _("Variable pay at 100 %"),
    }
    context = {
        **_common(request),
        "period": period,
        "previous": period.previous,
        "next": period.shifted(1),
        "period_error": error,
        "mine": mine,
        "rows": rows,
        "page_obj": page_obj,
        "chart": chart,
    }
    return render(request, "compensation/overview.html", context)


def _curve_charts(result) -> list[dict]:
    charts = []
    for part_index, part in enumerate(result.parts):
        for line in part.lines:
            point = None
            if line.attainment is not None:
                point = [float(line.attainment), float(line.factor)]
            charts.append(
                {
                    "id": f"curve-{part_index}-{line.metric}",
                    "label": line.label,
                    "points": curve_points(line.curve, line.attainment),
                    "point": point,
                }
            )
    return charts


def _what_if_form(request, person, data=None):
    deals = what_if_deals(request.user, person)[:100]
    return WhatIfForm(data, deals=deals)


@login_required
def statement_view(request, pk: int):
    person = get_payee_for(request.user, pk)
    period, error = _period(request, person)
    result = statement(person, period)
    profile = CompanyProfile.current()
    for part in result.parts:
        part.band = band_check(part.plan, profile)
    context = {
        **_common(request),
        "person": person,
        "period": period,
        "previous": period.previous,
        "next": period.shifted(1),
        "period_error": error,
        "statement": result,
        "charts": {
            "curves": _curve_charts(result),
            "attainment_label": _("Attainment"),
            "factor_label": _("Payout factor"),
            "you_label": _("This period"),
        },
        "what_if_form": _what_if_form(request, person),
        # a what-if adds a won deal: it only moves the sales components
        "what_if_applies": any(
            line.metric in SALES_METRICS for part in result.parts for line in part.lines
        ),
    }
    return render(request, "compensation/statement.html", context)


@login_required
def what_if_view(request, pk: int):
    """Before and after one more deal won; nothing is written (a GET)."""
    person = get_payee_for(request.user, pk)
    period, _error = _period(request, person)
    form = _what_if_form(request, person, request.GET)
    before = after = None
    if form.is_valid():
        deal = None
        if form.cleaned_data.get("deal"):
            deal = deal_for_what_if(request.user, person, form.cleaned_data["deal"])
        before, after = what_if(person, period, deal=deal, amount=form.cleaned_data["amount"])
    context = {
        "person": person,
        "period": period,
        "form": form,
        "before": before,
        "after": after,
        "pairs": _pairs(before, after) if before else [],
    }
    if is_htmx(request):
        return render(request, "compensation/_what_if_result.html", context)
    return render(request, "compensation/what_if.html", context)


def _pairs(before, after) -> list[dict]:
    rows = []
    for part_before, part_after in zip(before.parts, after.parts, strict=True):
        for line_before, line_after in zip(part_before.lines, part_after.lines, strict=True):
            rows.append({"before": line_before, "after": line_after})
    return rows


# --- plans ----------------------------------------------------------------------------------


@login_required
def plan_list(request):
    plans = visible_plans(request.user).order_by("role", "user__username", "-valid_from", "pk")
    profile = CompanyProfile.current()
    rows = [{"plan": plan, "band": band_check(plan, profile)} for plan in plans]
    context = {**_common(request), "rows": rows, "profile": profile}
    return render(request, "compensation/plan_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int | None = None):
    if not may_manage_plans(request.user):
        raise PermissionDenied
    plan = get_plan_for(request.user, pk) if pk else None
    if request.method == "POST":
        form = PlanForm(request.POST, instance=plan)
        formset = ComponentFormSet(request.POST, prefix="components")
        if form.is_valid() and formset.is_valid():
            components = [c for c in (f.as_component() for f in formset.forms) if c]
            data = {k: form.cleaned_data[k] for k in form.Meta.fields}
            try:
                plan = save_plan(plan, acting_user=request.user, components=components, **data)
            except DomainError as error:
                if error.field == "components":
                    formset._non_form_errors = formset.error_class([error.message])
                else:
                    add_service_error(form, error)
            else:
                messages.success(request, _("Compensation plan saved."))
                return redirect("compensation:plans")
    else:
        form = PlanForm(instance=plan)
        initial = [ComponentForm.initial_from(c) for c in plan.components.all()] if plan else []
        formset = ComponentFormSet(prefix="components", initial=initial)
        formset.extra = 1 if plan else 2
    context = {**_common(request), "form": form, "formset": formset, "plan": plan}
    return render(request, "compensation/plan_form.html", context)


@login_required
@require_POST
def plan_delete(request, pk: int):
    if not may_manage_plans(request.user):
        raise PermissionDenied
    plan = get_plan_for(request.user, pk)
    delete_plan(plan, acting_user=request.user)
    messages.success(request, _("Compensation plan deleted."))
    return redirect("compensation:plans")


# --- salary bands ---------------------------------------------------------------------------


@login_required
def band_list(request):
    profile = CompanyProfile.current()
    role = request.GET.get("role") or ""
    size = request.GET.get("company_size") or profile.company_size
    industry = request.GET.get("industry") or profile.industry
    roles = [r for r in Role.values if r != Role.ADMIN]
    rows = list(
        bands(
            role if role in roles else None,
            size if size in CompanySize.values else CompanySize.MEDIUM,
            industry if industry in Industry.values else Industry.ANY,
        )
    )
    chart = {
        "names": [f"{row.get_role_display()} · {row.get_level_display()}" for row in rows],
        "low": [_number(row.minimum) for row in rows],
        "mid": [_number(row.midpoint) for row in rows],
        "high": [_number(row.maximum) for row in rows],
        "labels": [_("Minimum"), _("Midpoint"), _("Maximum")],
    }
    context = {
        **_common(request),
        "bands": rows,
        "roles": [(value, Role(value).label) for value in roles],
        "sizes": CompanySize.choices,
        "industries": Industry.choices,
        "levels": Level.choices,
        "chosen": {"role": role, "company_size": size, "industry": industry},
        "chart": chart,
        "profile": profile,
        "profile_form": CompanyProfileForm(instance=profile),
    }
    return render(request, "compensation/band_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def band_edit(request, pk: int):
    if not may_manage_plans(request.user):
        raise PermissionDenied
    band = get_object_or_404(SalaryBand, pk=pk)
    form = BandForm(request.POST or None, instance=SalaryBand.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            update_band(band, acting_user=request.user, **form.cleaned_data)
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Salary band saved."))
            query = f"?company_size={band.company_size}&industry={band.industry}"
            return redirect(reverse("compensation:bands") + query)
    return render(request, "compensation/band_form.html", {"form": form, "band": band})


@login_required
@require_POST
def profile_edit(request):
    """Which bands apply to this company (its size and industry)."""
    if not may_manage_plans(request.user):
        raise PermissionDenied
    form = CompanyProfileForm(request.POST)
    if form.is_valid():
        try:
            set_company_profile(acting_user=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Company profile saved."))
    else:
        messages.error(request, _("Choose a company size and an industry."))
    return redirect("compensation:bands")
