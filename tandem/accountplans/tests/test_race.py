"""Two people creating the plan of one key account for one year at the same moment (a double
click, or the KAM and the Head of Sales), on two real database connections."""

from decimal import Decimal

import pytest

from tandem.accountplans.models import AccountPlan
from tandem.accountplans.services import create_plan
from tandem.accounts.models import Tier
from tandem.audit.models import AuditEvent
from tandem.core.errors import DomainError
from testsupport.builders import Org, make_account
from testsupport.races import needs_postgres, race

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgres]


def test_two_creations_of_one_plan_leave_one_plan():
    org = Org()
    for attempt in range(3):
        account = make_account(org.kim, name=f"Raced {attempt}", tier=Tier.KEY_ACCOUNT)

        def create(user, account=account):
            return create_plan(
                account,
                2026,
                acting_user=user,
                objectives=f"by {user.username}",
                growth_target_percent=Decimal(5),
            )

        results = race(lambda: create(org.kim), lambda: create(org.hanna))
        plans = [r for r in results if isinstance(r, AccountPlan)]
        refused = [r for r in results if isinstance(r, DomainError)]
        assert len(plans) == 1 and len(refused) == 1, results
        assert refused[0].field == "year"
        assert AccountPlan.objects.filter(account=account, year=2026).count() == 1
        created = AuditEvent.objects.filter(
            action="accountplan.created", object_id=str(plans[0].pk)
        )
        assert created.count() == 1
