"""Every write of renewals: recording a contract's renewal outcome.

Renewed, expanded and reduced close the contract with that status and start its follow-on
contract (from the day after the old end, at the new annual value, to the new end); churned
closes it without a successor. One transaction, one audit row; the contract is locked so two
people recording an outcome at once end with one outcome. The contract's account is
touched (tandem.core.touched).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Contract, ContractStatus
from tandem.accounts.selectors import visible_contracts
from tandem.audit.services import record
from tandem.core.errors import DomainError
from tandem.core.formatting import number
from tandem.core.touched import touched
from tandem.renewals.selectors import OUTCOMES, can_record_outcome
from tandem.users.models import User

NOTE_MAX_LENGTH = 2000


def _add_years_like(contract: Contract) -> datetime.date:
    """The default new end: the old end plus the old term's length."""
    return contract.end_on + (contract.end_on - contract.start_on) + datetime.timedelta(days=1)


def _value(raw) -> Decimal | None:
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise DomainError(
            _("Enter the new annual value as a number."), field="new_annual_value"
        ) from None
    if not value.is_finite():
        raise DomainError(_("Enter the new annual value as a number."), field="new_annual_value")
    return value


@transaction.atomic
def record_outcome(
    contract: Contract,
    outcome: str,
    *,
    acting_user: User,
    new_annual_value=None,
    new_end_on: datetime.date | None = None,
    note: str = "",
) -> Contract:
    """Record how a contract's renewal ended. Returns the follow-on contract for renewed,
    expanded and reduced, the closed contract itself for churned."""
    locked = (
        visible_contracts(acting_user)
        .select_for_update(of=("self",))
        .filter(pk=getattr(contract, "pk", None))  # type: ignore[misc]  # None: no row
        .first()
    )
    if locked is None:
        raise DomainError(_("This contract does not exist or you may not see it."))
    contract = locked
    if not can_record_outcome(acting_user, contract):
        raise DomainError(
            _(
                "Only the account's owner, their Sales Manager, the Head of Sales or an admin "
                "may record a renewal outcome."
            )
        )
    if outcome not in OUTCOMES:
        raise DomainError(
            _("Choose an outcome: renewed, expanded, reduced or churned."), field="outcome"
        )
    if contract.status != ContractStatus.ACTIVE:
        raise DomainError(
            _("The outcome of this contract is already recorded: {outcome}.").format(
                outcome=ContractStatus(contract.status).label
            ),
            field="outcome",
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(
            _("Keep the note under {n} characters.").format(n=NOTE_MAX_LENGTH), field="note"
        )
    value = _value(new_annual_value)
    old = contract.annual_value
    successor = None

    if outcome == ContractStatus.CHURNED:
        if value is not None or new_end_on is not None:
            raise DomainError(
                _("A churned contract has no new value or end date."), field="new_annual_value"
            )
        if not note:
            raise DomainError(_("Say why the customer left."), field="note")
    else:
        if value is None:
            if outcome != ContractStatus.RENEWED:
                raise DomainError(
                    _("Enter the new annual value of the contract."), field="new_annual_value"
                )
            value = old
        if value < 0:
            raise DomainError(_("The annual value cannot be negative."), field="new_annual_value")
        if outcome == ContractStatus.RENEWED and value != old:
            raise DomainError(
                _(
                    "A renewal keeps the annual value ({old}); record a higher value as "
                    "expanded and a lower one as reduced."
                ).format(old=number(old, 2)),
                field="new_annual_value",
            )
        if outcome == ContractStatus.EXPANDED and value <= old:
            raise DomainError(
                _("Expanded means a higher annual value than today’s {old}.").format(
                    old=number(old, 2)
                ),
                field="new_annual_value",
            )
        if outcome == ContractStatus.REDUCED:
            if value >= old:
                raise DomainError(
                    _("Reduced means a lower annual value than today’s {old}.").format(
                        old=number(old, 2)
                    ),
                    field="new_annual_value",
                )
            if value == 0:
                raise DomainError(
                    _("A contract reduced to nothing has churned: record it as churned."),
                    field="new_annual_value",
                )
        new_end_on = new_end_on or _add_years_like(contract)
        if new_end_on <= contract.end_on:
            raise DomainError(
                _("The new contract must end after the current end ({end}).").format(
                    end=contract.end_on.isoformat()
                ),
                field="new_end_on",
            )
        successor = Contract.objects.create(
            account_id=contract.account_id,
            name=contract.name,
            start_on=contract.end_on + datetime.timedelta(days=1),
            end_on=new_end_on,
            annual_value=value,
            notice_period_days=contract.notice_period_days,
            renewal_terms=contract.renewal_terms,
            renewal_of=contract,
        )

    contract.status = outcome
    contract.outcome_recorded_at = timezone.now()
    contract.outcome_recorded_by = acting_user
    contract.outcome_note = note
    contract.save(
        update_fields=["status", "outcome_recorded_at", "outcome_recorded_by", "outcome_note"]
    )
    touched("contracts", accounts=[contract.account_id])
    changes: dict[str, object] = {
        "status": [ContractStatus.ACTIVE.value, outcome],
        "annual_value": str(old),
    }
    if successor is not None:
        changes |= {
            "successor": successor.pk,
            "new_annual_value": str(successor.annual_value),
            "new_end_on": successor.end_on.isoformat(),
        }
    if note:
        changes["note"] = note
    record(contract, f"contract.{outcome}", acting_user=acting_user, changes=changes)
    return successor or contract


def record_past_outcomes(
    decided: list[Contract], successors: dict[int, int], *, batch_size: int = 2000
) -> None:
    """Outcomes decided before Tandem knew the contracts (the demo's made-up past): who
    recorded each and when, its note (already set on `decided`), and each follow-on contract's
    link to the one it renews ({successor pk: predecessor pk}). History, not an action: no
    audit row, no new contract."""
    Contract.objects.bulk_update(
        decided,
        ["outcome_recorded_at", "outcome_recorded_by", "outcome_note"],
        batch_size=batch_size,
    )
    links = [Contract(pk=pk, renewal_of_id=before) for pk, before in successors.items()]
    Contract.objects.bulk_update(links, ["renewal_of"], batch_size=batch_size)
    touched("contracts", accounts={contract.account_id for contract in decided})
