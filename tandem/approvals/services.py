"""Asking for, approving and rejecting a change to one's own pay.

A service above (quotas, pipeline) that finds a change needs a second person's approval calls
`ask` instead of applying it, and registers, once, how to apply a change of its kind
(`register`, from its AppConfig.ready(): this floor cannot import it). `approve` applies the
change as the asker would have, in the same transaction; every step is an audit row.

Who decides: never the asker; their team's Sales Manager, the Head of Sales or an admin.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.approvals.models import Approval, ApprovalRules, ApprovalStatus
from tandem.audit.services import record
from tandem.core.errors import DomainError
from tandem.core.services import apply_changes
from tandem.users.models import Role, User

# kind -> how the service above applies an approved change of that kind
APPLIERS: dict[str, Callable[[Approval], object]] = {}


def register(kind: str, apply: Callable[[Approval], object]) -> None:
    APPLIERS[kind] = apply


def rules() -> ApprovalRules:
    return ApprovalRules.current()


def may_edit_rules(user: User) -> bool:
    """Sales operations (admins) set the company's rules, as they set the key-account rules."""
    return user.is_superuser or user.role == Role.ADMIN


@transaction.atomic
def update_rules(*, acting_user: User, **changes) -> ApprovalRules:
    """Switch a rule on or off or move the threshold; audited, as it decides who needs whom."""
    if not may_edit_rules(acting_user):
        raise PermissionDenied(_("Only sales operations may change the approval rules."))
    current = ApprovalRules.for_update()
    diff = apply_changes(current, changes)
    if diff:
        current.save()
        record(current, "approval_rules.updated", acting_user=acting_user, changes=diff)
    return current


def may_decide(user: User, approval: Approval) -> bool:
    """A different person with authority over the asker: their team's manager, the Head of
    Sales or an admin."""
    if user.pk == approval.requested_by_id or not user.is_active:
        return False
    if user.sees_everything:
        return True
    team = approval.requested_by.team
    return team is not None and team.manager_id == user.pk


def plain(value) -> object:
    """A value as JSON keeps it: records by id, numbers and dates as text."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _key(value) -> object:
    return value.pk if isinstance(value, models.Model) else value


def differs(old, new) -> bool:
    """Whether a field really changes (records compared by id, 60000 equal to 60000.00)."""
    return _key(old) != _key(new)


def shown(value) -> object:
    """A value as the approver reads it: records by name."""
    if isinstance(value, models.Model):
        return str(value)
    return plain(value)


def freeze(model: type[models.Model], changes: dict) -> dict:
    """Changes to a record's fields, as JSON (the payload of an approval)."""
    return {name: plain(value) for name, value in changes.items()}


def thaw(model: type[models.Model], payload: dict) -> dict:
    """The changes `freeze` kept, as the service takes them again (records read anew)."""
    changes = {}
    for name, value in payload.items():
        field = model._meta.get_field(name)
        if field.is_relation and value is not None:
            related = field.related_model._default_manager.filter(pk=value).first()  # type: ignore[union-attr]  # a foreign key has one
            if related is None:
                raise DomainError(_("Something this change refers to no longer exists."))
            changes[name] = related
        else:
            changes[name] = field.to_python(value)  # type: ignore[union-attr]  # a concrete field
    return changes


def ask(
    *,
    kind: str,
    rule: str,
    subject: models.Model | None,
    subject_type: str,
    subject_repr: str,
    changes: dict,
    payload: dict,
    acting_user: User,
    note: str = "",
) -> Approval:
    """Keep the change for approval (nothing is applied yet)."""
    if kind not in APPLIERS:
        raise ValueError(f"no applier registered for {kind}")
    approval = Approval.objects.create(
        kind=kind,
        rule=rule,
        subject_type=subject_type,
        subject_id=str(subject.pk) if subject is not None else "",
        subject_repr=subject_repr[:200],
        changes=changes,
        payload=payload,
        note=(note or "").strip(),
        requested_by=acting_user,
    )
    record(
        approval,
        "approval.requested",
        acting_user=acting_user,
        changes={"kind": kind, "rule": rule, "subject": approval.subject_id, **changes},
    )
    return approval


def _locked(approval: Approval, acting_user: User) -> Approval:
    approval = (
        Approval.objects.select_for_update(of=("self",))
        .select_related("requested_by__team")
        .get(pk=approval.pk)
    )
    if approval.status != ApprovalStatus.PENDING:
        raise DomainError(
            _("This change was already {status}.").format(
                status=approval.get_status_display().lower()
            )
        )
    if not may_decide(acting_user, approval):
        raise PermissionDenied(
            _("Someone else decides this: the asker's Sales Manager, the Head of Sales or admin.")
        )
    return approval


@transaction.atomic
def approve(approval: Approval, *, acting_user: User, note: str = "") -> Approval:
    """Apply the change, as the asker, and keep who approved it. A change its service now
    refuses (the deal was deleted, the quota overlaps another) is not approved."""
    approval = _locked(approval, acting_user)
    approval.status = ApprovalStatus.APPROVED
    approval.decided_by = acting_user
    approval.decided_at = timezone.now()
    approval.decision_note = (note or "").strip()
    approval.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    APPLIERS[approval.kind](approval)
    record(approval, "approval.approved", acting_user=acting_user, changes=approval.changes)
    return approval


@transaction.atomic
def reject(approval: Approval, *, acting_user: User, note: str) -> Approval:
    """Refuse the change, saying why; nothing is applied."""
    approval = _locked(approval, acting_user)
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say why you reject this change."), field="note")
    approval.status = ApprovalStatus.REJECTED
    approval.decided_by = acting_user
    approval.decided_at = timezone.now()
    approval.decision_note = note
    approval.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record(approval, "approval.rejected", acting_user=acting_user, changes={"note": note})
    return approval
