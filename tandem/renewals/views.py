"""Renewal pages: upcoming renewals with their risk, recording an outcome, renewal rates."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.core.errors import DomainError
from tandem.core.lists import PAGE_SIZE, add_service_error
from tandem.core.periods import Period, PeriodKind
from tandem.renewals.forms import OutcomeForm
from tandem.renewals.selectors import (
    LEVEL_HIGH,
    LEVEL_LOW,
    LEVEL_MEDIUM,
    can_record_outcome,
    get_contract_for,
    level_label,
    manageable_account_ids,
    rate_trend,
    renewal_rates,
    renewal_risks,
    upcoming_renewals,
)
from tandem.renewals.services import record_outcome

HORIZONS = (90, 180)
SORTS = {
    "end": lambda r: (r.contract.end_on, r.contract.pk),
    "-score": lambda r: (-r.score, r.contract.end_on, r.contract.pk),
    "-value": lambda r: (-r.contract.annual_value, r.contract.end_on, r.contract.pk),
    "account": lambda r: (r.contract.account.name.lower(), r.contract.end_on, r.contract.pk),
}
LEVELS = (LEVEL_HIGH, LEVEL_MEDIUM, LEVEL_LOW)


def _int(text) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def horizon_from(request) -> int:
    try:
        days = int(request.GET.get("within", 180))
    except ValueError:
        return 180
    return days if days in HORIZONS else 180


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
    today = timezone.localdate()
    within = horizon_from(request)
    risks = renewal_risks(upcoming_renewals(request.user, within, today), today)
    owners = sorted({r.contract.account.owner for r in risks}, key=lambda u: (str(u).lower(), u.pk))
    owner = _int(request.GET.get("owner"))
    if owner is not None:
        risks = [r for r in risks if r.contract.account.owner_id == owner]
    sort = request.GET.get("sort", "end")
    if sort not in SORTS:
        sort = "end"
    risks.sort(key=SORTS[sort])
    page_obj = Paginator(risks, PAGE_SIZE).get_page(request.GET.get("page"))
    manageable = manageable_account_ids(request.user)
    for risk in page_obj.object_list:
        risk.can_record = manageable is None or risk.contract.account_id in manageable
        risk.overdue = risk.contract.end_on < today
    totals = {
        "count": len(risks),
        "value": sum((r.contract.annual_value for r in risks), Decimal(0)),
        "high": sum(1 for r in risks if r.level == LEVEL_HIGH),
        "overdue": sum(1 for r in risks if r.contract.end_on < today),
    }
    context = {
        "risks": page_obj.object_list,
        "page_obj": page_obj,
        "within": within,
        "horizons": HORIZONS,
        "sort": sort,
        "owners": owners,
        "owner": owner,
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
