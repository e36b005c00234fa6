"""The service functions the deal pages add or rely on: lost reasons and assigning accounts."""

import pytest

from tandem.audit.models import AuditEvent
from tandem.audit.selectors import history_of
from tandem.core.errors import DomainError
from tandem.pipeline.models import Stage, StageChange
from tandem.pipeline.services import assign_deal_account, move_deal_to_stage, update_deal
from testsupport.builders import make_account, make_deal


@pytest.fixture
def lost(db) -> Stage:
    return Stage.objects.get(code="lost")


def test_moving_to_lost_without_a_reason_is_refused(org, lost):
    deal = make_deal(org.alice)
    with pytest.raises(DomainError) as refused:
        move_deal_to_stage(deal, lost, acting_user=org.alice)
    assert refused.value.field == "lost_reason"
    deal.refresh_from_db()
    assert deal.stage.code == "prospecting"
    assert not StageChange.objects.filter(deal=deal).exists()


def test_a_blank_reason_is_no_reason(org, lost):
    deal = make_deal(org.alice)
    with pytest.raises(DomainError):
        move_deal_to_stage(deal, lost, acting_user=org.alice, lost_reason="   ")


def test_moving_to_lost_with_a_reason_keeps_it(org, lost):
    deal = make_deal(org.alice)
    deal = move_deal_to_stage(deal, lost, acting_user=org.alice, lost_reason="Price too high")
    assert deal.lost_reason == "Price too high"
    assert deal.closed_on is not None


def test_a_reason_already_on_the_deal_is_enough(org, lost):
    deal = make_deal(org.alice, lost_reason="Went with a competitor")
    deal = move_deal_to_stage(deal, lost, acting_user=org.alice)
    assert deal.stage == lost
    assert deal.lost_reason == "Went with a competitor"


def test_update_deal_to_lost_with_its_reason_still_works(org, lost):
    deal = make_deal(org.alice)
    deal = update_deal(deal, acting_user=org.alice, stage=lost, lost_reason="No budget")
    assert deal.stage == lost
    assert deal.lost_reason == "No budget"


def test_update_deal_to_lost_without_a_reason_is_refused(org, lost):
    deal = make_deal(org.alice)
    with pytest.raises(DomainError):
        update_deal(deal, acting_user=org.alice, stage=lost)


def test_assigning_an_account_resolves_an_imported_deal(org):
    deal = make_deal(org.alice, account=None)
    account = make_account(org.alice, "Müller GmbH")
    deal = assign_deal_account(deal, account, acting_user=org.alice)
    deal.refresh_from_db()
    assert deal.account == account
    event = history_of(deal).get(action="deal.account_assigned")
    assert event.actor == org.alice
    assert event.changes == {"account": [None, account.pk]}


def test_assigning_an_account_the_user_cannot_see_is_refused(org):
    deal = make_deal(org.alice, account=None)
    bobs = make_account(org.bob)
    with pytest.raises(DomainError) as refused:
        assign_deal_account(deal, bobs, acting_user=org.alice)
    assert refused.value.field == "account"
    deal.refresh_from_db()
    assert deal.account is None
    assert not AuditEvent.objects.filter(action="deal.account_assigned").exists()


def test_a_deal_with_an_account_is_not_reassigned_this_way(org):
    first = make_account(org.alice)
    deal = make_deal(org.alice, account=first)
    with pytest.raises(DomainError):
        assign_deal_account(deal, make_account(org.alice), acting_user=org.alice)
    deal.refresh_from_db()
    assert deal.account == first


def test_assigning_the_same_account_again_changes_nothing(org):
    account = make_account(org.alice)
    deal = make_deal(org.alice, account=account)
    assign_deal_account(deal, account, acting_user=org.alice)
    assert not history_of(deal).exists()
