"""Reads the deal pages add: board columns, days in stage, stage history, totals."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from tandem.pipeline.models import Stage
from tandem.pipeline.selectors import (
    board_columns,
    board_deals,
    days_in_stage,
    deal_totals,
    stage_history,
    visible_deals,
    with_stage_entered_at,
)
from tandem.pipeline.services import create_deal, move_deal_to_stage
from testsupport.builders import make_account, make_deal

BERLIN = datetime.timezone(datetime.timedelta(hours=1))


def stage(code: str) -> Stage:
    return Stage.objects.get(code=code)


def test_board_has_a_column_per_stage_in_order(org):
    columns = board_columns(board_deals(org.alice))
    assert [c["stage"].code for c in columns] == list(
        Stage.objects.order_by("position").values_list("code", flat=True)
    )
    assert [c["stage"].outcome for c in columns][-2:] == ["won", "lost"]


def test_board_columns_count_and_sum_what_the_user_sees(org):
    values = [Decimal("100"), Decimal("250.50"), Decimal("7")]
    for value in values:
        make_deal(org.alice, value=value, stage_code="proposal")
    make_deal(org.bob, value=Decimal("999"), stage_code="proposal")
    proposal = next(
        c for c in board_columns(board_deals(org.alice)) if c["stage"].code == "proposal"
    )
    assert proposal["count"] == len(values)
    assert proposal["value"] == sum(values)
    assert [card.value for card in proposal["cards"]] == sorted(values, reverse=True)


def test_board_caps_the_cards_per_column_but_not_the_totals(org):
    for index in range(5):
        make_deal(org.alice, value=Decimal(index), stage_code="qualifying")
    qualifying = next(
        c
        for c in board_columns(board_deals(org.alice), cards_per_column=2)
        if c["stage"].code == "qualifying"
    )
    assert qualifying["count"] == 5
    assert [card.value for card in qualifying["cards"]] == [Decimal(4), Decimal(3)]


def test_board_leaves_out_deals_closed_more_than_30_days_ago(org):
    today = datetime.date(2026, 3, 31)
    recent = make_deal(org.alice, stage_code="won", closed_on=today - datetime.timedelta(days=30))
    make_deal(org.alice, stage_code="won", closed_on=today - datetime.timedelta(days=31))
    open_deal = make_deal(org.alice, stage_code="engaging")
    shown = set(board_deals(org.alice, today=today).values_list("pk", flat=True))
    assert shown == {recent.pk, open_deal.pk}


def test_days_in_stage_counts_from_the_last_move_into_it(org):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=BERLIN), tick=False):
        deal = create_deal(acting_user=org.alice, name="Pumps", account=make_account(org.alice))
    with time_machine.travel(datetime.datetime(2026, 3, 4, 9, tzinfo=BERLIN), tick=False):
        move_deal_to_stage(deal, stage("qualifying"), acting_user=org.alice)
    annotated = with_stage_entered_at(visible_deals(org.alice)).get(pk=deal.pk)
    assert days_in_stage(annotated, today=datetime.date(2026, 3, 14)) == 10


def test_days_in_stage_falls_back_to_the_creation_date_without_history(org):
    deal = make_deal(org.alice, created_on=datetime.date(2026, 1, 1))
    annotated = with_stage_entered_at(visible_deals(org.alice)).get(pk=deal.pk)
    assert days_in_stage(annotated, today=datetime.date(2026, 1, 31)) == 30


def test_stage_history_gives_the_days_spent_in_each_stage(org):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=BERLIN), tick=False):
        deal = create_deal(acting_user=org.alice, name="Valves", account=make_account(org.alice))
    with time_machine.travel(datetime.datetime(2026, 3, 6, 9, tzinfo=BERLIN), tick=False):
        move_deal_to_stage(deal, stage("proposal"), acting_user=org.mona)
    with time_machine.travel(datetime.datetime(2026, 3, 13, 9, tzinfo=BERLIN), tick=False):
        move_deal_to_stage(deal, stage("won"), acting_user=org.alice)
    rows = stage_history(deal)
    assert [(r["change"].to_stage.code, r["days"]) for r in rows] == [
        ("prospecting", 5),
        ("proposal", 7),
        ("won", None),
    ]
    assert [r["change"].changed_by for r in rows] == [org.alice, org.mona, org.alice]
    assert rows[-1]["current"]


def test_stage_history_counts_the_current_open_stage_until_now(org):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=BERLIN), tick=False):
        deal = create_deal(acting_user=org.alice, name="Gears", account=make_account(org.alice))
    now = datetime.datetime(2026, 3, 3, 10, tzinfo=BERLIN)
    assert stage_history(deal, now=now)[0]["days"] == 2


@pytest.mark.parametrize("values", [[], ["10.25"], ["1", "2", "3.5"]])
def test_deal_totals(org, values):
    for value in values:
        make_deal(org.alice, value=Decimal(value))
    totals = deal_totals(visible_deals(org.alice))
    assert totals == {"count": len(values), "value": sum((Decimal(v) for v in values), Decimal())}
