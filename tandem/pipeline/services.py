"""Every write to deals: creation, edits, stage moves (kept as StageChange rows), account fixes."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Account
from tandem.accounts.selectors import visible_accounts
from tandem.audit.services import record
from tandem.core.errors import DomainError
from tandem.core.services import apply_changes, validate_new
from tandem.pipeline.models import Deal, Stage, StageChange, StageOutcome
from tandem.users.models import User


@transaction.atomic
def create_deal(*, acting_user: User, **fields) -> Deal:
    fields.setdefault("owner", acting_user)
    fields.setdefault("created_on", timezone.localdate())
    if "stage" not in fields:
        fields["stage"] = (
            Stage.objects.filter(outcome=StageOutcome.OPEN).order_by("position").first()
        )
    deal = validate_new(Deal(**fields))
    deal.save()
    StageChange.objects.create(
        deal=deal,
        from_stage=None,
        to_stage=deal.stage,
        changed_at=timezone.now(),
        changed_by=acting_user,
    )
    record(deal, "deal.created", acting_user=acting_user, changes={"stage": deal.stage.code})
    return deal


@transaction.atomic
def update_deal(deal: Deal, *, acting_user: User, **changes) -> Deal:
    """Edit a deal's fields; a stage in `changes` goes through move_deal_to_stage."""
    deal = Deal.objects.select_for_update().get(pk=deal.pk)
    new_stage = changes.pop("stage", None)
    old_owner = deal.owner_id
    diff = apply_changes(deal, changes)
    if diff:
        deal.save()
        action = (
            "deal.owner_changed"
            if "owner" in diff and old_owner != deal.owner_id
            else "deal.updated"
        )
        record(deal, action, acting_user=acting_user, changes=diff)
    if new_stage is not None and new_stage.pk != deal.stage_id:
        deal = move_deal_to_stage(deal, new_stage, acting_user=acting_user)
    return deal


@transaction.atomic
def move_deal_to_stage(
    deal: Deal,
    stage: Stage,
    *,
    acting_user: User,
    lost_reason: str = "",
    at: datetime.datetime | None = None,
) -> Deal:
    """Move a deal to another stage and keep the move as a row.

    Entering won or lost sets the close date; leaving them (a reopened deal) clears it.
    A lost deal needs a reason: given here, or already on the deal.
    """
    deal = Deal.objects.select_for_update().get(pk=deal.pk)
    if deal.stage_id == stage.pk:
        return deal
    at = at or timezone.now()
    old_stage = deal.stage
    if stage.outcome == StageOutcome.LOST:
        deal.lost_reason = (lost_reason or "").strip() or deal.lost_reason
        if not deal.lost_reason.strip():
            raise DomainError(_("Please give a reason why the deal was lost."), field="lost_reason")
    if stage.is_terminal:
        deal.closed_on = timezone.localdate(at)
        if deal.engaged_on and deal.closed_on < deal.engaged_on:
            raise DomainError(_("A deal cannot close before it was engaged."))
    else:
        deal.closed_on = None
        if old_stage.position < stage.position and deal.engaged_on is None and stage.position > 1:
            deal.engaged_on = timezone.localdate(at)
    deal.stage = stage
    deal.save()
    StageChange.objects.create(
        deal=deal, from_stage=old_stage, to_stage=stage, changed_at=at, changed_by=acting_user
    )
    record(
        deal,
        "deal.stage_changed",
        acting_user=acting_user,
        changes={"stage": [old_stage.code, stage.code]},
    )
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
