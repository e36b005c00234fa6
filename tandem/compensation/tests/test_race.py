"""Two admins creating overlapping role plans at the same moment: one wins, one is refused."""

import datetime

import pytest

from tandem.compensation.models import CompensationPlan
from tandem.compensation.tests.conftest import plan_for
from tandem.core.errors import DomainError
from testsupport.builders import Org
from testsupport.races import needs_postgres, race

pytestmark = pytest.mark.django_db(transaction=True)


@needs_postgres
def test_overlapping_role_plans_created_at_once_leave_one():
    org = Org()
    for attempt in range(3):
        year = 2030 + attempt
        outcomes = race(
            lambda y=year: plan_for(
                org,
                name=f"A {y}",
                valid_from=datetime.date(y, 1, 1),
                valid_to=datetime.date(y, 12, 31),
            ),
            lambda y=year: plan_for(
                org,
                name=f"B {y}",
                valid_from=datetime.date(y, 6, 1),
                valid_to=datetime.date(y, 12, 31),
            ),
        )
        errors = [o for o in outcomes if isinstance(o, Exception)]
        assert len(errors) == 1 and isinstance(errors[0], DomainError), outcomes
        assert CompensationPlan.objects.filter(valid_from__year=year).count() == 1
