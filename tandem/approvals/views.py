"""The approver's list of changes waiting for them, with approve and reject; thin."""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.approvals.models import Approval
from tandem.approvals.selectors import approvals_to_decide, own_approvals, visible_approvals
from tandem.approvals.services import approve, reject
from tandem.core.errors import DomainError


def _label(approval: Approval, name: str) -> str:
    try:
        model = apps.get_model(approval.subject_type)
        return str(model._meta.get_field(name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name


def _with_rows(approvals):
    for approval in approvals:
        approval.change_rows = [
            (_label(approval, name), change[0], change[1])
            for name, change in approval.changes.items()
            if isinstance(change, list) and len(change) == 2
        ]
    return approvals


@login_required
def approval_list(request):
    user = request.user
    context = {
        "to_decide": _with_rows(list(approvals_to_decide(user))),
        "mine": _with_rows(list(own_approvals(user)[:50])),
    }
    return render(request, "approvals/approval_list.html", context)


@login_required
@require_POST
def approval_decide(request, pk: int, decision: str):
    approval = get_object_or_404(visible_approvals(request.user), pk=pk)
    try:
        if decision == "approve":
            approve(approval, acting_user=request.user, note=request.POST.get("note", ""))
            messages.success(request, _("Approved: {what}.").format(what=approval.subject_repr))
        else:
            reject(approval, acting_user=request.user, note=request.POST.get("note", ""))
            messages.success(request, _("Rejected: {what}.").format(what=approval.subject_repr))
    except DomainError as error:
        messages.error(request, str(error.message))
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect("approvals:approval_list")
