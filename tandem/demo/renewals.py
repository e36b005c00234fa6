"""Demo renewal history on top of the demo organisation.

The core demo writes each customer's contract chains with their outcomes (renewed, expanded,
reduced, churned) but not who recorded them or the follow-on link. This fills that in, as
the renewal service would have: each decided contract gets its successor (`renewal_of`),
the account owner as the person who recorded it, a time at its notice date, and a short note
for the churned ones. Deterministic (same demo, same rows) and idempotent.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from tandem.accounts.models import Contract, ContractStatus
from tandem.demo.marks import demo_accounts
from tandem.renewals.selectors import OUTCOMES
from tandem.renewals.services import record_past_outcomes

CHURN_NOTES = [
    "Moved to a competitor with a lower price.",
    "Budget cut after a change of management.",
    "Project ended; no further need.",
    "Merged into a group that uses another vendor.",
]
RETAINED_NOTES = {
    ContractStatus.RENEWED: "Renewed on the same terms.",
    ContractStatus.EXPANDED: "More users and sites.",
    ContractStatus.REDUCED: "Fewer licences after a reorganisation.",
}


def _product(name: str) -> str:
    return name.rsplit(" ", 1)[0]


def build_demo(today: datetime.date) -> dict[str, int]:
    contracts = (
        Contract.objects.filter(account__in=demo_accounts(), end_on__lte=today)
        .filter(status__in=OUTCOMES, outcome_recorded_at__isnull=True)
        .select_related("account")
        .order_by("pk")
    )
    decided = list(contracts)
    account_ids = {c.account_id for c in decided}
    # a successor starts the day after its predecessor ends, on the same account, for the
    # same product (the demo names a contract "<product> <start year>–<end year>")
    starts = {
        (c.account_id, c.start_on, _product(c.name)): c.pk
        for c in Contract.objects.filter(account_id__in=account_ids, renewal_of__isnull=True)
        .only("pk", "account", "start_on", "name")
        .order_by("pk")
    }
    linked: dict[int, int] = {}  # successor pk -> predecessor pk
    for index, contract in enumerate(decided):
        notice_on = contract.end_on - datetime.timedelta(days=contract.notice_period_days)
        recorded_on = min(max(notice_on, contract.start_on), today)
        contract.outcome_recorded_at = timezone.make_aware(
            datetime.datetime.combine(recorded_on, datetime.time(10))
        )
        contract.outcome_recorded_by_id = contract.account.owner_id
        if contract.status == ContractStatus.CHURNED:
            contract.outcome_note = CHURN_NOTES[index % len(CHURN_NOTES)]
        else:
            contract.outcome_note = RETAINED_NOTES[contract.status]
            successor = starts.get(
                (
                    contract.account_id,
                    contract.end_on + datetime.timedelta(days=1),
                    _product(contract.name),
                )
            )
            if successor is not None and successor not in linked:
                linked[successor] = contract.pk
    record_past_outcomes(decided, linked)
    return {"renewal_outcomes": len(decided), "renewal_links": len(linked)}
