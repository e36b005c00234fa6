"""Every write of the key-account side: rules, and each step of a handover.

Each step runs in one transaction, writes a HandoverEvent (who, when, what) and an audit row.
Every step locks the account and then the handover (`_locked`); acceptance then locks the
KAM as well, last. One order for every step, so steps racing on one handover (two
acceptances, an acceptance and a rejection) wait for each other instead of deadlocking, and
end with one owner and one decision. The KAM's row is locked FOR NO KEY UPDATE: it
serialises one KAM's acceptances (capacity) without blocking the rows that merely point at
the KAM (events, audit rows), which take a key-share lock on it.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Account, Tier
from tandem.accounts.services import change_account_owner, change_account_tier
from tandem.audit.services import record
from tandem.core.errors import DomainError
from tandem.core.services import apply_changes
from tandem.jobs.models import Job
from tandem.jobs.services import enqueue, enqueue_unless_waiting
from tandem.keyaccounts.models import (
    OPEN_STATUSES,
    Handover,
    HandoverAction,
    HandoverEvent,
    HandoverStatus,
    KeyAccountRules,
    RuleEvaluation,
    RuleHit,
)
from tandem.keyaccounts.selectors import (
    EVALUATE,
    assemble_dossier,
    evaluate_rules,
    kam_choices,
    stored_hits,
)
from tandem.users.models import Role, User

DOSSIER_PARTS = {
    "customer_needs": lambda: _("customer needs"),
    "commitments": lambda: _("commitments made"),
    "risks": lambda: _("risks"),
}


def _step(handover: Handover, action: str, acting_user: User | None, note: str = "", **changes):
    HandoverEvent.objects.create(
        handover=handover,
        actor=acting_user if getattr(acting_user, "pk", None) else None,
        action=action,
        note=note,
    )
    record(
        handover,
        f"handover.{action}",
        acting_user=acting_user,
        changes={"account": handover.account_id, "kam": handover.to_kam_id, **changes},
    )


def can_manage_account(user: User, account: Account) -> bool:
    """The account's owner, their Sales Manager, the Head of Sales and admins."""
    if user.sees_everything or account.owner_id == user.pk:
        return True
    owner_team = account.owner.team
    return (
        user.role == Role.SALES_MANAGER
        and owner_team is not None
        and owner_team.manager_id == user.pk
    )


def can_manage_handover(user: User, handover: Handover) -> bool:
    """Who completes, submits or withdraws a handover: whoever may manage the account, and
    the person who handed it over or proposed it."""
    return can_manage_account(user, handover.account) or user.pk in (
        handover.from_user_id,
        handover.proposed_by_id,
    )


def _check_manager(handover: Handover, user: User) -> None:
    if not can_manage_handover(user, handover):
        raise DomainError(_("Only the account's owner or their Sales Manager may do this."))


def _check_kam(kam: User | None) -> None:
    if kam is None or kam.role != Role.KEY_ACCOUNT_MANAGER:
        raise DomainError(_("A handover goes to a Key Account Manager."), field="to_kam")
    if not kam.is_active:
        raise DomainError(_("{name} is no longer active.").format(name=kam), field="to_kam")


@transaction.atomic
def update_rules(*, acting_user: User, **changes) -> KeyAccountRules:
    """Changed rules are evaluated again for every account, in a job (after this commits)."""
    rules = KeyAccountRules.for_update()
    diff = apply_changes(rules, changes)
    if diff:
        rules.save()
        record(rules, "keyaccount_rules.updated", acting_user=acting_user, changes=diff)
        enqueue_unless_waiting(EVALUATE)
    return rules


def evaluate_and_store(today: datetime.date | None = None) -> RuleEvaluation:
    """Evaluate every rule for every account now and keep the result (the older evaluations
    go): the jobs' work (keyaccounts/jobs.py, and the day's work), never a page's. The
    candidates list reads it until the next one."""
    today = today or timezone.localdate()
    rules = KeyAccountRules.current()
    hits = evaluate_rules(rules, today)
    with transaction.atomic():
        evaluation = RuleEvaluation.objects.create(
            day=today, rules_changed_at=rules.updated_at, hit_count=len(hits)
        )
        RuleHit.objects.bulk_create(
            [
                RuleHit(
                    evaluation=evaluation,
                    account_id=account_id,
                    reasons=[reason.as_dict() for reason in reasons],
                    reason_count=len(reasons),
                )
                for account_id, reasons in hits.items()
            ],
            batch_size=2000,
        )
        RuleEvaluation.objects.exclude(pk=evaluation.pk).delete()
    # fresh planner statistics: with none, PostgreSQL took the new evaluation for one row and
    # answered "key accounts without a hit" with a nested loop (4 s at 10,000 key accounts)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {RuleHit._meta.db_table}")
    return evaluation


def may_evaluate(user: User) -> bool:
    """Who may edit the rules and ask for them to be evaluated again: admins."""
    return user.is_superuser or user.role == Role.ADMIN


def ask_to_evaluate(*, acting_user: User) -> Job:
    """An admin asks for the rules to be evaluated again now (say, after importing revenue):
    a job; the candidates list shows the new evaluation when it is done."""
    if not may_evaluate(acting_user):
        raise DomainError(_("Only an admin can have the key-account rules evaluated again."))
    return enqueue(EVALUATE, requested_by=acting_user)


def _set_texts(handover: Handover, texts: dict) -> dict:
    diff = {}
    for name in DOSSIER_PARTS:
        if name in texts and texts[name] is not None:
            value = texts[name].strip()
            if value != getattr(handover, name):
                diff[name] = True
                setattr(handover, name, value)
    return diff


@transaction.atomic
def propose_handover(
    account: Account,
    to_kam: User,
    *,
    acting_user: User | None,
    reasons: list | None = None,
    **texts,
) -> Handover:
    """Propose handing `account` to `to_kam`. `acting_user` None: Tandem proposes it because a
    key-account rule fired (the owner then completes the dossier)."""
    account = (
        Account.objects.select_for_update(of=("self",))
        .select_related("owner__team")
        .get(pk=account.pk)
    )
    if acting_user is not None and not can_manage_account(acting_user, account):
        raise DomainError(_("Only the account's owner or their Sales Manager may propose it."))
    _check_kam(to_kam)
    if account.owner_id == to_kam.pk:
        raise DomainError(
            _("{name} already owns this account.").format(name=to_kam), field="to_kam"
        )
    if Handover.objects.filter(account=account, to_kam=to_kam, status__in=OPEN_STATUSES).exists():
        raise DomainError(
            _("This account is already proposed to {name}.").format(name=to_kam), field="to_kam"
        )
    if reasons is None:
        reasons = [
            r.as_dict()
            for r in evaluate_rules(KeyAccountRules.current(), accounts=[account.pk]).get(
                account.pk, []
            )
        ]
    handover = Handover(
        account=account,
        from_user=account.owner,
        to_kam=to_kam,
        proposed_by=acting_user,
        reasons=reasons,
    )
    _set_texts(handover, texts)
    try:
        with transaction.atomic():
            handover.save()
    except IntegrityError:
        raise DomainError(
            _("This account is already proposed to {name}.").format(name=to_kam), field="to_kam"
        ) from None
    _step(handover, HandoverAction.PROPOSED, acting_user)
    return handover


def _locked(handover: Handover) -> Handover:
    """The account and then the handover, locked (the order every step uses)."""
    Account.objects.select_for_update().get(pk=handover.account_id)
    return (
        Handover.objects.select_for_update(of=("self",))
        .select_related("account__owner__team", "to_kam", "from_user")
        .get(pk=handover.pk)
    )


@transaction.atomic
def save_dossier(handover: Handover, *, acting_user: User, **texts) -> Handover:
    """Save the proposer's parts of the dossier without submitting it."""
    handover = _locked(handover)
    _check_manager(handover, acting_user)
    if handover.status != HandoverStatus.PROPOSED:
        raise DomainError(_("This handover was already submitted."))
    if _set_texts(handover, texts):
        handover.save()
        _step(handover, HandoverAction.DOSSIER_SAVED, acting_user)
    return handover


def missing_parts(handover: Handover) -> list[str]:
    return [str(label()) for name, label in DOSSIER_PARTS.items() if not getattr(handover, name)]


@transaction.atomic
def submit_handover(
    handover: Handover, *, acting_user: User, today: datetime.date | None = None, **texts
) -> Handover:
    """Submit the dossier to the KAM: refused, naming what is missing, until the customer's
    needs, the commitments made and the risks are filled in. The facts Tandem assembled are
    kept with it as they are now."""
    handover = _locked(handover)
    _check_manager(handover, acting_user)
    if handover.status != HandoverStatus.PROPOSED:
        raise DomainError(_("This handover was already submitted."))
    _set_texts(handover, texts)
    missing = missing_parts(handover)
    if missing:
        raise DomainError(
            _("The dossier cannot be submitted yet. Missing: {parts}.").format(
                parts=", ".join(missing)
            )
        )
    handover.dossier = assemble_dossier(handover.account, today)
    handover.status = HandoverStatus.SUBMITTED
    handover.submitted_at = timezone.now()
    handover.save()
    _step(handover, HandoverAction.SUBMITTED, acting_user)
    return handover


@transaction.atomic
def accept_handover(handover: Handover, *, acting_user: User) -> Handover:
    """The KAM takes the account: ownership moves to them, the account becomes a key account
    and the handover is accepted, all or nothing. Other open handovers of the account are
    withdrawn. Open deals keep their owner."""
    handover = _locked(handover)
    # Last in the order (see the module's docstring), and with a lock that rows pointing at
    # the KAM do not wait for.
    kam = User.objects.select_for_update(no_key=True).get(pk=handover.to_kam_id)
    account = handover.account
    if acting_user.pk != kam.pk:
        raise DomainError(_("Only the Key Account Manager it is addressed to may accept it."))
    if handover.status == HandoverStatus.ACCEPTED:
        raise DomainError(_("You have already accepted this handover."))
    if handover.status != HandoverStatus.SUBMITTED:
        raise DomainError(
            _("This handover is {status}; only a submitted handover can be accepted.").format(
                status=handover.get_status_display().lower()
            )
        )
    if account.owner_id != handover.from_user_id:
        raise DomainError(
            _("{account} has been handed to {owner} in the meantime.").format(
                account=account, owner=account.owner
            )
        )
    _check_kam(kam)
    capacity = KeyAccountRules.current().kam_capacity
    held = Account.objects.filter(owner=kam, tier=Tier.KEY_ACCOUNT).count()
    if held >= capacity:
        raise DomainError(
            _(
                "You already hold {held} key accounts, the most one KAM may hold ({capacity}). "
                "Hand one over or ask sales operations to raise the capacity."
            ).format(held=held, capacity=capacity)
        )
    change_account_owner(account, kam, acting_user=acting_user)
    change_account_tier(account, Tier.KEY_ACCOUNT, acting_user=acting_user)
    handover.status = HandoverStatus.ACCEPTED
    handover.decided_at = timezone.now()
    handover.save(update_fields=["status", "decided_at"])
    _step(handover, HandoverAction.ACCEPTED, acting_user)
    for other in Handover.objects.select_for_update().filter(
        account=account, status__in=OPEN_STATUSES
    ):
        other.status = HandoverStatus.WITHDRAWN
        other.decided_at = handover.decided_at
        other.decision_reason = _("The account was handed to {kam}.").format(kam=kam)
        other.save(update_fields=["status", "decided_at", "decision_reason"])
        _step(other, HandoverAction.WITHDRAWN, None, other.decision_reason)
    return handover


@transaction.atomic
def reject_handover(handover: Handover, *, acting_user: User, reason: str) -> Handover:
    handover = _locked(handover)
    if acting_user.pk != handover.to_kam_id:
        raise DomainError(_("Only the Key Account Manager it is addressed to may reject it."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why you reject the handover."), field="reason")
    if handover.status != HandoverStatus.SUBMITTED:
        raise DomainError(_("Only a submitted handover can be rejected."))
    handover.status = HandoverStatus.REJECTED
    handover.decision_reason = reason
    handover.decided_at = timezone.now()
    handover.save(update_fields=["status", "decision_reason", "decided_at"])
    _step(handover, HandoverAction.REJECTED, acting_user, reason)
    return handover


@transaction.atomic
def withdraw_handover(handover: Handover, *, acting_user: User, reason: str = "") -> Handover:
    handover = _locked(handover)
    _check_manager(handover, acting_user)
    if handover.status not in OPEN_STATUSES:
        raise DomainError(_("Only an open handover can be withdrawn."))
    handover.status = HandoverStatus.WITHDRAWN
    handover.decision_reason = (reason or "").strip()
    handover.decided_at = timezone.now()
    handover.save(update_fields=["status", "decision_reason", "decided_at"])
    _step(handover, HandoverAction.WITHDRAWN, acting_user, handover.decision_reason)
    return handover


def propose_for_candidates(today: datetime.date | None = None) -> list[Handover]:
    """Tandem's own proposals: every standard account that meets a rule and has no open
    handover is proposed to the active KAM with the most room (fewest key accounts, counting
    the proposals made in this run). Returns the proposals made."""
    hits = stored_hits(evaluate_and_store(today))  # the candidates list reads it today
    open_accounts = set(
        Handover.objects.filter(status__in=OPEN_STATUSES).values_list("account_id", flat=True)
    )
    accounts = (
        Account.objects.filter(pk__in=list(hits), tier=Tier.STANDARD)
        .exclude(pk__in=open_accounts)
        .order_by("name", "pk")
    )
    kams = list(kam_choices())
    if not kams:
        return []
    load = {kam.pk: kam.held for kam in kams}
    made = []
    for account in accounts:
        kam = min(kams, key=lambda k: (load[k.pk], k.last_name, k.username))
        reasons = [reason.as_dict() for reason in hits[account.pk]]
        made.append(propose_handover(account, kam, acting_user=None, reasons=reasons))
        load[kam.pk] += 1
    return made
