"""Renewal pages: upcoming renewals with their risk, recording an outcome, renewal rates."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.core.errors import DomainError
from tandem.core.lists import (
    EXPORT_FORMATS,
    add_service_error,
    export,
    export_requested,
    paginate,
)
from tandem.core.periods import Period, PeriodKind
from tandem.renewals.filters import RenewalFilterSet
from tandem.renewals.forms import OutcomeForm
from tandem.renewals.selectors import (
    LEVEL_HIGH,
    LEVEL_LOW,
    LEVEL_MEDIUM,
    active_contracts,
    can_record_outcome,
    get_contract_for,
    level_label,
    manageable_account_ids,
    rate_trend,
    renewal_rates,
    renewal_risks,
)
from tandem.renewals.services import record_outcome

HORIZONS = (90, 180)  # the quick picks above the list; the form takes any horizon
LEVELS = (LEVEL_HIGH, LEVEL_MEDIUM, LEVEL_LOW)


def _month_chart(risks, today: datetime.date) -> dict:
    """Annual value up for renewal per month of the contract's end, stacked by risk level;
    contracts already ended without an outcome are one "overdue" bar first."""
    buckets: dict[str, dict] = defaultdict(lambda: {level: 0.0 for level in LEVELS})
    labels: dict[str, str] = {}
    for risk in risks:
        end = risk.contract.end_on
        if end < today:
            key, label = "0000-00", _("Overdue")
        else:
            key, label = end.strftime("%Y-%m"), date_format(end, "YEAR_MONTH_FORMAT")
        labels[key] = label
        buckets[key][risk.level] += float(risk.contract.annual_value)
    keys = sorted(buckets)
    return {
        "months": [labels[k] for k in keys],
        "series": [
            {"level": level, "name": level_label(level), "data": [buckets[k][level] for k in keys]}
            for level in LEVELS
        ],
    }


@login_required
def upcoming(request):
    """The upcoming renewals through the renewal filter set (the old `?within=` still sets the
    horizon): tiles and chart over every matching contract, the list sorted, paged and
    exported as on every list."""
    today = timezone.localdate()
    data = request.GET.copy()
    if data.get("within") and not data.get("within_days"):
        data["within_days"] = data["within"]
    filters = RenewalFilterSet(
        data, queryset=active_contracts(request.user), user=request.user, today=today
    )
    risks = renewal_risks(filters.qs, today)  # every matching contract: the tiles, the chart
    contracts, sort = filters.ordered(filters.qs, request.GET.get("sort"), risks)
    if fmt := export_requested(request):
        return export(request, "renewals", contracts, fmt, filters)
    page_obj = paginate(request, contracts, count=len(risks))
    by_contract = {risk.contract.pk: risk for risk in risks}
    manageable = manageable_account_ids(request.user)
    shown = []
    for contract in page_obj.object_list:
        risk = by_contract[contract.pk]
        risk.can_record = manageable is None or contract.account_id in manageable
        risk.overdue = contract.end_on < today
        shown.append(risk)
    totals = {
        "count": len(risks),
        "value": sum((r.contract.annual_value for r in risks), Decimal(0)),
        "high": sum(1 for r in risks if r.level == LEVEL_HIGH),
        "overdue": sum(1 for r in risks if r.contract.end_on < today),
    }
    context = {
        "filters": filters,
        "risks": shown,
        "page_obj": page_obj,
        "within": filters.form.cleaned_data.get("within_days") if filters.is_valid() else None,
        "horizons": HORIZONS,
        "sort": sort,
        "export_formats": EXPORT_FORMATS,
        "totals": totals,
        "today": today,
        "chart": _month_chart(risks, today),
    }
    return render(request, "renewals/upcoming.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def outcome(request, pk: int):
    contract = get_contract_for(request.user, pk)
    if not can_record_outcome(request.user, contract):
        raise PermissionDenied
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_outcome(
                contract,
                data["outcome"],
                acting_user=request.user,
                new_annual_value=data["new_annual_value"],
                new_end_on=data["new_end_on"],
                note=data["note"],
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Outcome recorded for {contract}: {outcome}.").format(
                    contract=contract.name,
                    outcome=dict(form.fields["outcome"].choices)[data["outcome"]],
                ),
            )
            return redirect("renewals:upcoming")
    (risk,) = renewal_risks([contract])
    context = {"form": form, "contract": contract, "risk": risk}
    return render(request, "renewals/outcome.html", context)


def _period_choices(today: datetime.date) -> list[Period]:
    year = Period.containing(today, PeriodKind.YEAR)
    quarter = Period.containing(today, PeriodKind.QUARTER)
    return [year.previous, year, *(quarter.shifted(-i) for i in range(4, -1, -1))]


@login_required
def rates(request):
    today = timezone.localdate()
    error = None
    period = Period.containing(today, PeriodKind.YEAR)
    if request.GET.get("period"):
        try:
            period = Period.parse(request.GET["period"])
        except DomainError as problem:
            error = problem.message
    found = renewal_rates(request.user, period.start, period.end)
    trend_periods = [period.shifted(-i) for i in range(7, -1, -1)]
    trend = rate_trend(request.user, trend_periods)
    chart = {
        "kams": [str(row.owner) for row in found["rows"]],
        "kam_rates": [_pct(row.rate) for row in found["rows"]],
        "rate_label": _("Renewal rate"),
        "periods": [t["period"] for t in trend],
        "trend": [_pct(t["renewal_rate"]) for t in trend],
        "churned": [t["churned"] for t in trend],
        "retained": [t["renewed"] + t["expanded"] + t["reduced"] for t in trend],
        "churned_label": _("Churned"),
        "retained_label": _("Renewed, expanded or reduced"),
    }
    context = {
        "period": period,
        "previous": period.previous,
        "next": period.shifted(1),
        "period_choices": _period_choices(today),
        "period_error": error,
        "rows": found["rows"],
        "total": found["total"],
        "chart": chart,
    }
    return render(request, "renewals/rates.html", context)


def _pct(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)
