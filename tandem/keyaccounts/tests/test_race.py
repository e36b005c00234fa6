"""Two acceptances racing for one account, on two real database connections at once."""

import pytest

from tandem.accounts.models import Account, Tier
from tandem.core.errors import DomainError
from tandem.keyaccounts.models import Handover, HandoverStatus, KeyAccountRules
from tandem.keyaccounts.services import (
    accept_handover,
    propose_handover,
    reject_handover,
    submit_handover,
)
from tandem.keyaccounts.tests.conftest import complete_texts
from tandem.users.models import Role
from testsupport.builders import Org, make_account, make_user
from testsupport.races import needs_postgres, race

pytestmark = pytest.mark.django_db(transaction=True)


def submitted(account, kam, by):
    handover = propose_handover(account, kam, acting_user=by)
    return submit_handover(handover, acting_user=by, **complete_texts())


@needs_postgres
def test_two_kams_racing_for_one_account_leave_one_owner():
    org = Org()
    kai = make_user("kai", Role.KEY_ACCOUNT_MANAGER)
    for attempt in range(3):
        account = make_account(org.alice, name=f"Contested {attempt}")
        first = submitted(account, org.kim, org.mona)
        second = submitted(account, kai, org.mona)
        results = race(
            lambda h=first: accept_handover(h, acting_user=org.kim),
            lambda h=second: accept_handover(h, acting_user=kai),
        )
        winners = [r for r in results if isinstance(r, Handover)]
        losers = [r for r in results if isinstance(r, DomainError)]
        assert len(winners) == 1 and len(losers) == 1, results
        account.refresh_from_db()
        assert account.owner_id == winners[0].to_kam_id
        assert account.tier == Tier.KEY_ACCOUNT
        statuses = sorted(Handover.objects.filter(account=account).values_list("status", flat=True))
        assert statuses == [HandoverStatus.ACCEPTED, HandoverStatus.WITHDRAWN]


@needs_postgres
def test_a_double_click_accepts_once():
    org = Org()
    account = make_account(org.alice, name="Clicked twice")
    handover = submitted(account, org.kim, org.mona)
    results = race(
        lambda: accept_handover(handover, acting_user=org.kim),
        lambda: accept_handover(handover, acting_user=org.kim),
    )
    assert sorted(type(r).__name__ for r in results) == ["DomainError", "Handover"], results
    assert Account.objects.get(pk=account.pk).owner == org.kim
    assert Handover.objects.get(pk=handover.pk).events.filter(action="accepted").count() == 1


@needs_postgres
def test_one_kam_accepting_two_accounts_at_once_stays_within_capacity():
    org = Org()
    rules = KeyAccountRules.current()
    rules.kam_capacity = 1
    rules.save()
    one = submitted(make_account(org.alice, name="One"), org.kim, org.mona)
    two = submitted(make_account(org.alice, name="Two"), org.kim, org.mona)
    results = race(
        lambda: accept_handover(one, acting_user=org.kim),
        lambda: accept_handover(two, acting_user=org.kim),
    )
    assert sorted(type(r).__name__ for r in results) == ["DomainError", "Handover"], results
    assert Account.objects.filter(owner=org.kim, tier=Tier.KEY_ACCOUNT).count() == 1


@needs_postgres
def test_accepting_and_rejecting_at_once_never_deadlocks():
    """Accept locked the KAM before the account, reject the account first: up to a third of
    such pairs ended in "deadlock detected". One lock order makes one of them win, always."""
    org = Org()
    for attempt in range(20):
        account = make_account(org.alice, name=f"Decided twice {attempt}")
        handover = submitted(account, org.kim, org.mona)
        results = race(
            lambda h=handover: accept_handover(h, acting_user=org.kim),
            lambda h=handover: reject_handover(h, acting_user=org.kim, reason="Not mine."),
        )
        winners = [r for r in results if isinstance(r, Handover)]
        losers = [r for r in results if isinstance(r, DomainError)]
        assert len(winners) == 1 and len(losers) == 1, results
        handover.refresh_from_db()
        account.refresh_from_db()
        assert handover.status == winners[0].status
        accepted = handover.status == HandoverStatus.ACCEPTED
        assert account.owner_id == (org.kim.pk if accepted else org.alice.pk)
        assert account.tier == (Tier.KEY_ACCOUNT if accepted else Tier.STANDARD)
        assert handover.events.filter(action__in=["accepted", "rejected"]).count() == 1
