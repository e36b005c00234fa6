"""Quotas on the web: list what the user may see, set and delete through the quota services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.approvals.models import Approval
from tandem.core.errors import DomainError
from tandem.core.lists import (
    EXPORT_FORMATS,
    add_service_error,
    export,
    export_requested,
    paginate,
)
from tandem.core.periods import Period
from tandem.kpis.sales import KpiScope, quota_comparison
from tandem.quotas.filters import QuotaFilterSet
from tandem.quotas.forms import QuotaForm
from tandem.quotas.selectors import visible_quotas
from tandem.quotas.services import delete_quota, may_set_quota, set_quota
from tandem.users.models import Role


def _may_manage(user) -> bool:
    return user.sees_everything or user.role == Role.SALES_MANAGER


@login_required
def quota_list(request):
    """The quotas through the quota filter set (this year's unless another period is asked
    for; an invalid period lists nothing and says so), the form to set one, and the teams'
    quotas against their reps' for the period."""
    user = request.user
    data = request.GET.copy()
    if not data.get("period"):
        data["period"] = Period.containing(timezone.localdate(), "year").code
    filters = QuotaFilterSet(
        data, queryset=visible_quotas(user).select_related("user", "team"), user=user
    )
    quotas, sort = filters.ordered(filters.qs, request.GET.get("sort"))
    if fmt := export_requested(request):
        return export(request, "quotas", quotas, fmt, filters)
    period = filters.form.cleaned_data.get("period") if filters.is_valid() else None
    form = None
    if request.method == "POST" and not _may_manage(user):
        raise PermissionDenied
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
                    if isinstance(quota, Approval):
                        messages.info(
                            request,
                            _(
                                "This quota sets your own pay: it waits for approval by the "
                                "Head of Sales or an admin. Nothing is changed until then."
                            ),
                        )
                        return redirect("sales:quota_list")
                    messages.success(request, _("Quota saved."))
                    year = Period.containing(quota.period.start, "year")
                    return redirect(reverse("sales:quota_list") + f"?period={year.code}")
        else:
            form = QuotaForm(
                acting_user=user, initial={"period": Period.containing(timezone.localdate()).code}
            )
    page_obj = paginate(request, quotas)
    for quota in page_obj.object_list:
        quota.may_change = may_set_quota(user, user=quota.user, team=quota.team)
    return render(
        request,
        "sales/quota_list.html",
        {
            "filters": filters,
            "page_obj": page_obj,
            "sort": sort,
            "export_formats": EXPORT_FORMATS,
            "list_id": "quota",
            "period": period,
            "form": form,
            "comparison": quota_comparison(KpiScope(user, period)) if period else [],
        },
    )


@login_required
@require_POST
def quota_delete(request, pk: int):
    quota = get_object_or_404(visible_quotas(request.user), pk=pk)
    delete_quota(quota, acting_user=request.user)  # PermissionDenied: a 403, not a message
    messages.success(request, _("Quota deleted."))
    return redirect(reverse("sales:quota_list") + f"?period={request.POST.get('period', '')}")
