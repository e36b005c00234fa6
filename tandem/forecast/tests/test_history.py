"""The history folded once gives, for every as-of date, the same facts and the same
stage-weighted pipeline as reading the stage changes before that date, reopened and
twice-closed deals included."""

import datetime
from decimal import Decimal

import pytest

from tandem.forecast.engine import (
    History,
    StageWeighted,
    at_start_of,
    facts_as_of,
    stage_weighted_as_of,
    won_value_between,
)
from tandem.pipeline.models import Deal, Stage, StageChange
from testsupport.builders import make_account, make_deal

pytestmark = pytest.mark.django_db


def moves(deal, *steps):
    previous = None
    for day, code in steps:
        stage = Stage.objects.get(code=code)
        StageChange.objects.create(
            deal=deal, from_stage=previous, to_stage=stage, changed_at=at_start_of(day)
        )
        previous = stage


def test_folded_history_equals_reading_as_of_each_day(org):
    account = make_account(org.alice, "Hansa Logistik GmbH")
    d = datetime.date
    plain = make_deal(org.alice, account, "won", value=Decimal("100"))
    moves(plain, (d(2026, 1, 5), "engaging"), (d(2026, 2, 1), "won"))
    lost = make_deal(org.alice, account, "lost", value=Decimal("0"))
    moves(
        lost, (d(2026, 1, 7), "prospecting"), (d(2026, 1, 20), "engaging"), (d(2026, 3, 3), "lost")
    )
    reopened = make_deal(org.alice, account, "engaging", value=Decimal("300"))
    moves(
        reopened,
        (d(2026, 1, 2), "engaging"),
        (d(2026, 2, 10), "lost"),
        (d(2026, 2, 20), "engaging"),
    )
    twice = make_deal(org.alice, account, "won", value=Decimal("400"))
    moves(twice, (d(2026, 1, 3), "engaging"), (d(2026, 1, 30), "lost"), (d(2026, 2, 5), "engaging"),
          (d(2026, 3, 1), "won"))  # fmt: skip
    still_open = make_deal(org.alice, account, "proposal", value=Decimal("500"))
    moves(still_open, (d(2026, 2, 14), "engaging"), (d(2026, 3, 10), "proposal"))
    same_day = make_deal(org.alice, account, "proposal", value=Decimal("600"))
    moves(
        same_day,
        (d(2026, 1, 9), "prospecting"),
        (d(2026, 1, 9), "engaging"),
        (d(2026, 2, 2), "proposal"),
        (d(2026, 2, 2), "qualifying"),
    )  # the same moments

    deals = Deal.objects.all()
    history = History.of(deals)
    weighted = StageWeighted.of(deals)
    assert sorted(history.others) == sorted([reopened.pk, twice.pk])
    day = d(2025, 12, 30)
    while day < d(2026, 4, 5):
        assert history.facts(day).groups == facts_as_of(deals, day).groups, day
        assert weighted.as_of(day) == stage_weighted_as_of(deals, day), day
        day += datetime.timedelta(days=1)
    for start, end in [(d(2026, 1, 1), d(2026, 2, 1)), (d(2026, 2, 1), d(2026, 3, 1)),
                       (d(2026, 3, 1), d(2026, 4, 1)), (d(2026, 1, 1), d(2026, 4, 1))]:  # fmt: skip
        assert history.won_between(start, end) == won_value_between(deals, start, end)
    assert history.won_between(d(2026, 1, 1), d(2026, 4, 1)) == Decimal("500")  # plain + twice
