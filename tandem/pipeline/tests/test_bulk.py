"""The bulk upsert and the single-row services apply one set of rules (pipeline/rules.py): a
deal written one way or the other ends with the same fields, stage history and audit rows, and
a bulk write marks exactly the owners and accounts it touched stale for the KPI rollups."""

import datetime
from decimal import Decimal

import pytest

from tandem.audit.selectors import history_of
from tandem.core.errors import DomainError, RowsRejected
from tandem.kpis.models import RollupState, Stale
from tandem.kpis.rollup import rebuild
from tandem.pipeline.bulk import DealRows, DealWrite, upsert_deals
from tandem.pipeline.models import Deal, Stage, StageChange
from tandem.pipeline.services import create_deal, move_deal_to_stage, update_deal
from testsupport.builders import make_account, make_deal
from testsupport.jobs import run_queued

AT = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


def stage(code):
    return Stage.objects.get(code=code)


def ending(deal: Deal) -> tuple:
    """What a write leaves behind, without the deal's own id."""
    deal.refresh_from_db()
    fields = (
        deal.stage.code,
        deal.owner_id,
        deal.account_id,
        deal.value,
        deal.engaged_on,
        deal.closed_on,
        deal.lost_reason,
    )
    history = [
        (c.from_stage and c.from_stage.code, c.to_stage.code, c.changed_at, c.changed_by_id)
        for c in StageChange.objects.filter(deal=deal).order_by("pk")
    ]
    trail = [(e.actor_id, e.action, e.changes) for e in history_of(deal).order_by("pk")]
    return fields, history, trail


def twins(org, **fields):
    account = make_account(org.alice)
    return [make_deal(org.alice, account, **fields) for _ in range(2)]


def bulk(deal, fields, user=None, **options):
    """The deal as an import finds it (stage loaded), written through the bulk upsert."""
    found = Deal.objects.select_related("stage").get(pk=deal.pk)
    write = DealWrite(fields, deal=found, **options)
    upsert_deals([write], acting_user=user or found.owner)
    return write


@pytest.mark.parametrize("code", ["proposal", "won", "engaging"])
def test_a_move_ends_the_same_through_the_service_and_the_bulk_upsert(org, code):
    one, other = twins(org)
    move_deal_to_stage(one, stage(code), acting_user=org.alice, at=AT)
    write = bulk(other, {"stage": stage(code)}, at=AT)
    assert write.changed and write.stage_changes == 1
    assert ending(one) == ending(other)
    assert other.closed_on == (AT.date() if code == "won" else None)


def test_reopening_a_won_deal_ends_the_same_both_ways(org):
    one, other = twins(org, stage_code="won", closed_on=datetime.date(2026, 1, 5))
    move_deal_to_stage(one, stage("negotiation"), acting_user=org.alice, at=AT)
    bulk(other, {"stage": stage("negotiation")}, at=AT)
    assert ending(one) == ending(other)
    assert other.closed_on is None


def test_losing_a_deal_needs_a_reason_both_ways(org):
    one, other = twins(org)
    with pytest.raises(DomainError):
        move_deal_to_stage(one, stage("lost"), acting_user=org.alice, at=AT)
    with pytest.raises(RowsRejected) as rejected:
        bulk(other, {"stage": stage("lost")}, at=AT, line=7)
    assert rejected.value.problems == [(7, "Please give a reason why the deal was lost.")]
    assert not StageChange.objects.exists()
    move_deal_to_stage(one, stage("lost"), acting_user=org.alice, at=AT, lost_reason="Price")
    bulk(other, {"stage": stage("lost")}, at=AT, lost_reason="Price")
    assert ending(one) == ending(other)


def test_an_edit_with_a_new_owner_and_a_move_ends_the_same_both_ways(org):
    one, other = twins(org)
    changes = {"owner": org.bob, "value": Decimal("2500.00"), "stage": stage("proposal")}
    update_deal(one, acting_user=org.mona, at=AT, **changes)
    bulk(other, dict(changes), at=AT, user=org.mona)
    assert ending(one) == ending(other)
    actions = [action for _actor, action, _changes in ending(other)[2]]
    assert actions == ["deal.owner_changed", "deal.stage_changed"]


def test_a_new_deal_starts_the_same_both_ways(org):
    account = make_account(org.alice)
    fields = {"name": "Pumps", "account": account, "value": Decimal("900"), "owner": org.bob}
    one = create_deal(acting_user=org.alice, **fields)
    (other,) = upsert_deals([DealWrite(dict(fields))], acting_user=org.alice)
    (fields_one, history_one, trail_one) = ending(one)
    (fields_other, history_other, trail_other) = ending(other)
    assert fields_one == fields_other and trail_one == trail_other
    assert [h[:2] + h[3:] for h in history_one] == [h[:2] + h[3:] for h in history_other]
    assert history_other[0][:2] == (None, "prospecting")


def test_an_unchanged_row_writes_nothing(org):
    (deal,) = twins(org)[:1]
    write = bulk(deal, {"value": deal.value, "stage": deal.stage})
    assert not write.changed
    assert not StageChange.objects.exists() and not history_of(deal).exists()


def test_every_bad_row_is_named_and_nothing_is_written(org):
    deal = make_deal(org.alice, engaged_on=datetime.date(2026, 5, 1))
    writes = [
        DealWrite({"name": "Fine", "value": Decimal("1")}, line=2),
        DealWrite({"name": "Negative", "value": Decimal("-1")}, line=3),
        DealWrite(
            {"stage": stage("won")},
            deal=Deal.objects.select_related("stage").get(pk=deal.pk),
            at=AT,  # before the engagement
            line=4,
        ),
    ]
    with pytest.raises(RowsRejected) as rejected:
        upsert_deals(writes, acting_user=org.alice)
    assert [line for line, _problem in rejected.value.problems] == [3, 4]
    assert Deal.objects.count() == 1 and not StageChange.objects.exists()


def test_a_bulk_write_marks_exactly_the_touched_owners_and_accounts_stale(org, settings):
    settings.JOBS_RUN_AT_ONCE = False  # the refresh waits for a worker: its input is seen
    mine = make_account(org.alice)
    deal = make_deal(org.alice, mine)
    make_deal(org.kim, make_account(org.kim))
    rebuild()
    assert not Stale.objects.exists()
    bulk(deal, {"owner": org.bob, "value": Decimal("5")}, user=org.mona)
    stale = set(Stale.objects.values_list("owner_id", "account_id"))
    assert stale == {(org.alice.pk, None), (org.bob.pk, None), (None, mine.pk)}
    assert RollupState.objects.get().complete  # not a rebuild of everything
    assert "kpis.refresh" in [job.kind for job in run_queued()]
    assert not Stale.objects.exists()


def test_generated_deals_follow_the_same_close_date_rule(org):
    rows = DealRows()
    won, engaging = stage("won").pk, stage("engaging").pk
    deal = [1, "Pumps", None, None, org.alice.pk, None, 1, won, None, "new_business"]
    history = [(1, 1, None, engaging, AT - datetime.timedelta(days=9), None)]
    history.append((2, 1, engaging, won, AT, None))
    rows.add((*deal, None, None, None, AT.date(), ""), history)
    with pytest.raises(ValueError, match="close date"):
        rows.add((*deal, None, None, None, AT.date() + datetime.timedelta(days=1), ""), history)
    with pytest.raises(ValueError, match="skips"):
        rows.add((*deal, None, None, None, AT.date(), ""), history[1:])


def test_unchanged_rows_mark_nobody_stale(org):
    deal = make_deal(org.alice, make_account(org.alice))
    rebuild()
    bulk(deal, {"value": deal.value})
    assert not Stale.objects.exists()
