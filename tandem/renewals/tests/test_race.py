"""Two people recording an outcome for one contract at once, on two real connections."""

import pytest

from tandem.accounts.models import Contract
from tandem.audit.models import AuditEvent
from tandem.core.errors import DomainError
from tandem.renewals.services import record_outcome
from testsupport.builders import Org, make_account, make_contract
from testsupport.races import needs_postgres, race

pytestmark = pytest.mark.django_db(transaction=True)


@needs_postgres
def test_kam_and_head_deciding_at_once_record_one_outcome():
    org = Org()
    for attempt in range(3):
        contract = make_contract(make_account(org.kim, name=f"Contested {attempt}"))
        results = race(
            lambda c=contract: record_outcome(c, "renewed", acting_user=org.kim),
            lambda c=contract: record_outcome(
                c, "churned", acting_user=org.hanna, note="They left"
            ),
        )
        assert sorted(type(r).__name__ for r in results) in (["Contract", "DomainError"],), results
        loser = next(r for r in results if isinstance(r, DomainError))
        assert "already recorded" in loser.message
        contract.refresh_from_db()
        assert Contract.objects.filter(renewal_of=contract).count() == (
            1 if contract.status == "renewed" else 0
        )
        events = AuditEvent.objects.filter(
            object_id=str(contract.pk), action__startswith="contract."
        )
        assert events.count() == 1
