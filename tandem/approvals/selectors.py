"""What approvals a user sees: those they may decide, and their own."""

from django.db.models import Q, QuerySet

from tandem.approvals.models import Approval, ApprovalStatus
from tandem.users.models import User


def approvals_to_decide(user: User) -> QuerySet[Approval]:
    """The pending changes `user` may approve or reject (never their own)."""
    pending = Approval.objects.filter(status=ApprovalStatus.PENDING).exclude(requested_by=user)
    if not user.sees_everything:
        pending = pending.filter(requested_by__team__manager=user)
    return pending.select_related("requested_by").order_by("requested_at", "pk")


def visible_approvals(user: User) -> QuerySet[Approval]:
    """Every approval the user asked for or may decide, decided ones included."""
    approvals = Approval.objects.all()
    if not user.sees_everything:
        approvals = approvals.filter(Q(requested_by=user) | Q(requested_by__team__manager=user))
    return approvals.select_related("requested_by", "decided_by")


def own_approvals(user: User) -> QuerySet[Approval]:
    return Approval.objects.filter(requested_by=user).select_related("decided_by")
