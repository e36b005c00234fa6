"""Quotas on the web: list what the user may see, set and delete through the quota services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import DomainError
from tandem.core.lists import add_service_error
from tandem.core.periods import Period
from tandem.kpis.sales import KpiScope, quota_comparison
from tandem.quotas.forms import QuotaForm
from tandem.quotas.selectors import visible_quotas
from tandem.quotas.services import delete_quota, may_set_quota, set_quota
from tandem.users.models import Role


def _may_manage(user) -> bool:
    return user.sees_everything or user.role == Role.SALES_MANAGER


@login_required
def quota_list(request):
    user = request.user
    error = None
    try:
        period = (
            Period.parse(request.GET["period"])
            if request.GET.get("period")
            else Period.containing(timezone.localdate(), "year")
        )
    except DomainError as problem:
        error = problem.message
        period = Period.containing(timezone.localdate(), "year")
    form = None
    if _may_manage(user):
        if request.method == "POST":
            form = QuotaForm(request.POST, acting_user=user)
            if form.is_valid():
                try:
                    quota = set_quota(acting_user=user, **form.cleaned_data)
                except (DomainError, PermissionDenied) as problem:
                    if isinstance(problem, PermissionDenied):
                        form.add_error(None, str(problem))
                    else:
                        add_service_error(form, problem)
                else:
                    messages.success(request, _("Quota saved."))
                    shown = Period(quota.period_kind, quota.period_start, quota.period_end)
                    year = Period.containing(shown.start, "year")
                    return redirect(reverse("sales:quota_list") + f"?period={year.code}")
        else:
            form = QuotaForm(
                acting_user=user, initial={"period": Period.containing(timezone.localdate()).code}
            )
    quotas = (
        visible_quotas(user)
        .filter(period_start__gte=period.start, period_end__lte=period.end)
        .select_related("user", "team")
        .order_by("period_start", "team__name", "user__last_name", "user__username", "metric")
    )
    rows = [
        {
            "quota": quota,
            "period": Period(quota.period_kind, quota.period_start, quota.period_end),
            "may_change": may_set_quota(user, user=quota.user, team=quota.team),
        }
        for quota in quotas
    ]
    return render(
        request,
        "sales/quota_list.html",
        {
            "period": period,
            "period_error": error,
            "rows": rows,
            "form": form,
            "comparison": quota_comparison(KpiScope(user, period)),
        },
    )


@login_required
@require_POST
def quota_delete(request, pk: int):
    quota = get_object_or_404(visible_quotas(request.user), pk=pk)
    try:
        delete_quota(quota, acting_user=request.user)
    except PermissionDenied as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, _("Quota deleted."))
    return redirect(reverse("sales:quota_list") + f"?period={request.POST.get('period', '')}")
