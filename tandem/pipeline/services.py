"""Every write to deals: creation, edits, stage moves (kept as StageChange rows), account fixes.
Each says which owners and accounts it touched (tandem.core.touched): the KPI rollups and the
KAM figures above are kept from them.

Separation of duties: winning one's own deal above the threshold, or raising the value of
one's own won deal, raises one's own pay; with the approval rules on, such a change is kept
as an Approval (returned instead of the deal) and applied when a second person approves it.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Account
from tandem.accounts.selectors import visible_accounts
from tandem.approvals import services as approvals
from tandem.approvals.models import Approval, ApprovalRule
from tandem.audit.services import record
from tandem.core.errors import DomainError
from tandem.core.services import apply_changes, check_version, validate_new
from tandem.core.touched import touched
from tandem.pipeline import rules
from tandem.pipeline.models import Deal, Stage, StageOutcome
from tandem.users.models import User

DEAL_CHANGE = "deal.change"


def first_open_stage() -> Stage | None:
    """Where a deal starts when nobody names its stage."""
    return Stage.objects.filter(outcome=StageOutcome.OPEN).order_by("position").first()


@transaction.atomic
def create_deal(*, acting_user: User, **fields) -> Deal:
    fields.setdefault("owner", acting_user)
    fields.setdefault("created_on", timezone.localdate())
    if "stage" not in fields:
        fields["stage"] = first_open_stage()
    deal = validate_new(Deal(**fields))
    duties = approvals.rules()
    if (
        duties.own_deal_wins
        and deal.owner_id == acting_user.pk
        and deal.stage.outcome == StageOutcome.WON
        and deal.value >= duties.win_threshold
    ):
        # Created won, it would skip the approval its move to won needs.
        raise DomainError(
            _(
                "Your own deal worth {threshold} or more is won by a move a second person "
                "approves: create it in an open stage first."
            ).format(threshold=duties.win_threshold),
            field="stage",
        )
    deal.save()
    rules.opening(deal, at=timezone.now(), by=acting_user).save()
    touched("deals", owners=[deal.owner_id], accounts=[deal.account_id])
    action, changes = rules.created_audit(deal)
    record(deal, action, acting_user=acting_user, changes=changes)
    return deal


def approval_rule(
    deal: Deal,
    acting_user: User,
    stage: Stage | None,
    value: Decimal | None,
    owner: User | None = None,
) -> str | None:
    """Why this change of one's own deal (or a deal one makes one's own in the same edit)
    waits for a second person, or None."""
    duties = approvals.rules()
    own = acting_user.pk in (deal.owner_id, getattr(owner, "pk", None))
    if not duties.own_deal_wins or not own:
        return None
    was_won = deal.stage.outcome == StageOutcome.WON
    is_won = (stage or deal.stage).outcome == StageOutcome.WON
    value = deal.value if value is None else value
    if is_won and not was_won and value >= duties.win_threshold:
        return ApprovalRule.OWN_DEAL_WON
    if was_won and is_won and value > deal.value:
        return ApprovalRule.OWN_WON_DEAL_VALUE
    return None


def _ask(deal: Deal, rule: str, changes: dict, acting_user: User, note: str) -> Approval:
    """Keep what this edit really changes (a form sends every field): applied later, the
    fields it left alone must not undo what others change meanwhile."""
    changes = {
        name: value
        for name, value in changes.items()
        if approvals.differs(getattr(deal, name), value)
    }
    shown = {
        name: [approvals.shown(getattr(deal, name)), approvals.shown(value)]
        for name, value in changes.items()
    }
    return approvals.ask(
        kind=DEAL_CHANGE,
        rule=rule,
        subject=deal,
        subject_type=Deal._meta.label_lower,
        subject_repr=deal.name,
        changes=shown,
        payload={"changes": approvals.freeze(Deal, changes)},
        acting_user=acting_user,
        note=note,
    )


def apply_approved_change(approval: Approval) -> Deal | Approval:
    """Apply an approved change of a deal, as its asker made it."""
    deal = Deal.objects.filter(pk=approval.subject_id).first()
    if deal is None:
        raise DomainError(_("This deal no longer exists."))
    changes = approvals.thaw(Deal, approval.payload["changes"])
    return update_deal(deal, acting_user=approval.requested_by, approval=approval, **changes)


@transaction.atomic
def update_deal(
    deal: Deal,
    *,
    acting_user: User,
    at: datetime.datetime | None = None,
    version: int | None = None,
    approval: Approval | None = None,
    approval_note: str = "",
    **changes,
) -> Deal | Approval:
    """Edit a deal's fields; a stage in `changes` goes through move_deal_to_stage (at `at`).
    `version` is the one the editor read: StaleRecord if the deal was saved since. A change
    that needs approval is kept and returned as an Approval; `approval` is the one given."""
    deal = Deal.objects.select_for_update(of=("self",)).select_related("stage").get(pk=deal.pk)
    check_version(deal, version)
    if approval is None and (
        rule := approval_rule(
            deal, acting_user, changes.get("stage"), changes.get("value"), changes.get("owner")
        )
    ):
        return _ask(deal, rule, changes, acting_user, approval_note)
    new_stage = changes.pop("stage", None)
    before = (deal.owner_id, deal.account_id)
    diff = apply_changes(deal, changes)
    if diff:
        deal.save()
        touched("deals", owners=[before[0], deal.owner_id], accounts=[before[1], deal.account_id])
        action, diff = rules.updated_audit(diff)
        record(deal, action, acting_user=acting_user, changes=diff)
    if new_stage is not None and new_stage.pk != deal.stage_id:
        return move_deal_to_stage(
            deal, new_stage, acting_user=acting_user, at=at, approval=approval
        )
    return deal


@transaction.atomic
def move_deal_to_stage(
    deal: Deal,
    stage: Stage,
    *,
    acting_user: User,
    lost_reason: str = "",
    at: datetime.datetime | None = None,
    approval: Approval | None = None,
) -> Deal | Approval:
    """Move a deal to another stage and keep the move as a row (the rule: `rules.move`).
    A move that needs approval is kept and returned as an Approval instead."""
    deal = Deal.objects.select_for_update(of=("self",)).select_related("stage").get(pk=deal.pk)
    if deal.stage_id == stage.pk:
        return deal
    if approval is None and (rule := approval_rule(deal, acting_user, stage, None)):
        changes: dict = {"stage": stage}
        if lost_reason:
            changes["lost_reason"] = lost_reason
        return _ask(deal, rule, changes, acting_user, "")
    change = rules.move(
        deal, stage, at=at or timezone.now(), by=acting_user, lost_reason=lost_reason
    )
    deal.save()
    change.save()
    touched("deals", owners=[deal.owner_id], accounts=[deal.account_id])
    action, changes = rules.moved_audit(change)
    record(deal, action, acting_user=acting_user, changes=changes)
    return deal


@transaction.atomic
def assign_deal_account(deal: Deal, account: Account, *, acting_user: User) -> Deal:
    """Resolve a deal imported without an account by giving it one the user may see."""
    deal = Deal.objects.select_for_update().get(pk=deal.pk)
    if deal.account_id == account.pk:
        return deal
    if deal.account_id is not None:
        raise DomainError(
            _("This deal already has an account; change it by editing the deal."), field="account"
        )
    if not visible_accounts(acting_user).filter(pk=account.pk).exists():
        raise DomainError(_("You cannot assign an account you may not see."), field="account")
    deal.account = account
    deal.save(update_fields=["account"])
    touched("deals", owners=[deal.owner_id], accounts=[account.pk])
    record(
        deal,
        "deal.account_assigned",
        acting_user=acting_user,
        changes={"account": [None, account.pk]},
    )
    return deal


@transaction.atomic
def delete_deal(deal: Deal, *, acting_user: User) -> None:
    """Delete a deal with its stage history; its activities stay on the account."""
    deal = Deal.objects.select_for_update().get(pk=deal.pk)
    record(
        deal,
        "deal.deleted",
        acting_user=acting_user,
        changes={"stage": deal.stage.code, "owner": deal.owner_id, "account": deal.account_id},
    )
    deal.delete()
    touched("deals", owners=[deal.owner_id], accounts=[deal.account_id])
