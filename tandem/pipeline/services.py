"""Every write to deals: creation, edits, stage moves (kept as StageChange rows), account fixes."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Account
from tandem.accounts.selectors import visible_accounts
from tandem.audit.services import record
from tandem.core.errors import DomainError
from tandem.core.services import apply_changes, check_version, validate_new
from tandem.pipeline import rules
from tandem.pipeline.models import Deal, Stage, StageOutcome
from tandem.users.models import User


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
    deal.save()
    rules.opening(deal, at=timezone.now(), by=acting_user).save()
    action, changes = rules.created_audit(deal)
    record(deal, action, acting_user=acting_user, changes=changes)
    return deal


@transaction.atomic
def update_deal(
    deal: Deal,
    *,
    acting_user: User,
    at: datetime.datetime | None = None,
    version: int | None = None,
    **changes,
) -> Deal:
    """Edit a deal's fields; a stage in `changes` goes through move_deal_to_stage (at `at`).
    `version` is the one the editor read: StaleRecord if the deal was saved since."""
    deal = Deal.objects.select_for_update().get(pk=deal.pk)
    check_version(deal, version)
    new_stage = changes.pop("stage", None)
    diff = apply_changes(deal, changes)
    if diff:
        deal.save()
        action, diff = rules.updated_audit(diff)
        record(deal, action, acting_user=acting_user, changes=diff)
    if new_stage is not None and new_stage.pk != deal.stage_id:
        deal = move_deal_to_stage(deal, new_stage, acting_user=acting_user, at=at)
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
    """Move a deal to another stage and keep the move as a row (the rule: `rules.move`)."""
    deal = Deal.objects.select_for_update().get(pk=deal.pk)
    if deal.stage_id == stage.pk:
        return deal
    change = rules.move(
        deal, stage, at=at or timezone.now(), by=acting_user, lost_reason=lost_reason
    )
    deal.save()
    change.save()
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
