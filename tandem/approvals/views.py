"""The approver's list of changes waiting for them, with approve and reject; thin."""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.approvals.forms import ApprovalRulesForm
from tandem.approvals.models import Approval, ApprovalRules
from tandem.approvals.selectors import approvals_to_decide, own_approvals, visible_approvals
from tandem.approvals.services import approve, may_edit_rules, reject, update_rules
from tandem.core.errors import DomainError
from tandem.core.lists import add_service_error


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
        "rules": ApprovalRules.current(),
        "may_edit_rules": may_edit_rules(user),
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
    except DomainError as error:  # decided already: a message; not one's to decide: a 403
        messages.error(request, str(error.message))
    return redirect("approvals:approval_list")


@login_required
@require_http_methods(["GET", "POST"])
def rules_edit(request):
    if not may_edit_rules(request.user):
        raise PermissionDenied
    form = ApprovalRulesForm(request.POST or None, instance=ApprovalRules.current())
    if request.method == "POST" and form.is_valid():
        try:
            update_rules(acting_user=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Approval rules saved."))
            return redirect("approvals:approval_list")
    return render(request, "approvals/rules_form.html", {"form": form})
