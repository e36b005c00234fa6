import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tandem.audit.selectors import history_of
from tandem.core.errors import DomainError
from tandem.pipeline.models import Deal, Stage, StageChange
from tandem.pipeline.services import create_deal, move_deal_to_stage, update_deal
from testsupport.builders import make_account, make_deal


def stage(code):
    return Stage.objects.get(code=code)


def test_a_move_is_kept_as_a_row_with_who_and_when(org):
    deal = make_deal(org.alice, make_account(org.alice))
    at = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
    move_deal_to_stage(deal, stage("proposal"), acting_user=org.mona, at=at)
    change = StageChange.objects.get(deal=deal)
    assert (change.from_stage.code, change.to_stage.code) == ("prospecting", "proposal")
    assert change.changed_by == org.mona and change.changed_at == at
    event = history_of(deal).get()
    assert event.actor == org.mona and event.changes == {"stage": ["prospecting", "proposal"]}


def test_moving_to_the_same_stage_records_nothing(org):
    deal = make_deal(org.alice)
    move_deal_to_stage(deal, stage("prospecting"), acting_user=org.alice)
    assert not StageChange.objects.filter(deal=deal).exists()


def test_winning_sets_the_close_date_and_reopening_clears_it(org):
    deal = make_deal(org.alice)
    at = datetime.datetime(2026, 4, 1, 12, tzinfo=datetime.UTC)
    deal = move_deal_to_stage(deal, stage("won"), acting_user=org.alice, at=at)
    assert deal.closed_on == datetime.date(2026, 4, 1)
    deal = move_deal_to_stage(deal, stage("negotiation"), acting_user=org.alice)
    assert deal.closed_on is None
    assert StageChange.objects.filter(deal=deal).count() == 2


def test_a_deal_cannot_close_before_it_was_engaged(org):
    deal = make_deal(org.alice, engaged_on=datetime.date(2026, 5, 1))
    with pytest.raises(DomainError):
        move_deal_to_stage(
            deal,
            stage("lost"),
            acting_user=org.alice,
            at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
        )
    assert Deal.objects.get(pk=deal.pk).stage.code == "prospecting"
    assert not StageChange.objects.filter(deal=deal).exists()


def test_create_deal_starts_its_history(org):
    deal = create_deal(acting_user=org.alice, name="New", value=10)
    assert deal.owner == org.alice and deal.stage.code == "prospecting"
    assert StageChange.objects.filter(deal=deal, from_stage=None).count() == 1


def test_a_negative_value_is_refused_by_the_service_and_the_database(org):
    with pytest.raises(ValidationError):
        create_deal(acting_user=org.alice, name="Bad", value=-1)
    deal = make_deal(org.alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Deal.objects.filter(pk=deal.pk).update(value=-5)


def test_changing_the_owner_of_a_deal_is_audited(org):
    deal = make_deal(org.alice)
    update_deal(deal, acting_user=org.mona, owner=org.bob)
    event = history_of(deal).get()
    assert event.action == "deal.owner_changed"
    assert event.changes == {"owner": [org.alice.pk, org.bob.pk]}
