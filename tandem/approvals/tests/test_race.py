"""Two deciders at once, on two real database connections: one decision, applied once."""

from decimal import Decimal

import pytest

from tandem.approvals.models import Approval, ApprovalStatus
from tandem.approvals.services import approve, reject
from tandem.core.errors import DomainError
from tandem.pipeline.models import Stage, StageChange
from tandem.pipeline.services import move_deal_to_stage
from testsupport.builders import Org, make_deal, seed_reference_data
from testsupport.races import needs_postgres, race

pytestmark = pytest.mark.django_db(transaction=True)


@needs_postgres
def test_approving_and_rejecting_at_once_decides_once():
    seed_reference_data()  # an earlier transactional test may have emptied the stages
    org = Org()
    won = Stage.objects.get(code="won")
    for attempt in range(5):
        deal = make_deal(org.alice, name=f"Raced {attempt}", value=Decimal("90000"))
        asked = move_deal_to_stage(deal, won, acting_user=org.alice)
        results = race(
            lambda a=asked: approve(a, acting_user=org.mona),
            lambda a=asked: reject(a, acting_user=org.hanna, note="No."),
        )
        decided = [r for r in results if isinstance(r, Approval)]
        refused = [r for r in results if isinstance(r, DomainError)]
        assert len(decided) == 1 and len(refused) == 1, results
        moves = StageChange.objects.filter(deal=deal, to_stage=won).count()
        assert moves == (1 if decided[0].status == ApprovalStatus.APPROVED else 0)
