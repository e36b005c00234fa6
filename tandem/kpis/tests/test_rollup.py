"""The KPI rollups stay exact whichever way deals change: through the services (which say what
they touched), in bulk (new ids), or deleted; checked against a full rebuild and against plain
Python over the deal rows."""

import datetime
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.activities.services import create_activity
from tandem.core.periods import Period
from tandem.kpis import rollup
from tandem.kpis.bottlenecks import stalled_deals
from tandem.kpis.models import DealMonth, RollupState
from tandem.kpis.sales import KpiScope, company_kpis, funnel, group_kpis
from tandem.pipeline.models import Deal, Stage, StageChange, StageOutcome
from tandem.pipeline.services import create_deal, delete_deal, move_deal_to_stage, update_deal
from tandem.users.models import Role
from tandem.users.services import move_to_team
from testsupport.builders import make_account, make_deal, make_user

pytestmark = pytest.mark.django_db

Q3 = Period.parse("2026Q3")


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def snapshot() -> dict:
    """Every rollup table as a multiset of its rows (ids left out)."""
    tables = {}
    for model in rollup.ROLLUPS:
        fields = [f.attname for f in model._meta.fields if f.attname != "id"]
        rows = []
        for row in model.objects.values_list(*fields):
            rows.append(tuple(round(v, 6) if isinstance(v, float) else v for v in row))
        tables[model.__name__] = Counter(rows)
    return tables


def per_rep_by_hand(period: Period) -> dict:
    """Won value, deals won/lost, created and open pipeline per owner, in plain Python."""
    result: dict = {}
    for deal in Deal.objects.select_related("stage"):
        row = result.setdefault(
            deal.owner_id,
            {"won_value": Decimal(0), "deals_won": 0, "deals_lost": 0, "deals_created": 0,
             "open_pipeline": Decimal(0)},
        )  # fmt: skip
        inside = lambda day: day is not None and period.start <= day <= period.end  # noqa: E731
        if deal.stage.outcome == StageOutcome.WON and inside(deal.closed_on):
            row["won_value"] += deal.value
            row["deals_won"] += 1
        if deal.stage.outcome == StageOutcome.LOST and inside(deal.closed_on):
            row["deals_lost"] += 1
        if inside(deal.created_on):
            row["deals_created"] += 1
        if deal.stage.outcome == StageOutcome.OPEN and inside(deal.expected_close_on):
            row["open_pipeline"] += deal.value
    return {k: v for k, v in result.items() if any(v.values())}


def from_rollup(user, period: Period) -> dict:
    keys = ["won_value", "deals_won", "deals_lost", "deals_created", "open_pipeline"]
    rows = group_kpis(KpiScope(user, period), "rep")
    figures = {row.key: {k: getattr(row, k) for k in keys} for row in rows}
    return {key: values for key, values in figures.items() if any(values.values())}


@pytest.fixture
def moving(org):
    """Deals that then change through every path that writes them."""
    stages = {s.code: s for s in Stage.objects.all()}
    account = make_account(org.alice)
    first = make_deal(
        org.alice, account, "won", value=Decimal("500.10"), created_on=datetime.date(2026, 6, 1),
        engaged_on=datetime.date(2026, 6, 10), closed_on=datetime.date(2026, 7, 3),
    )  # fmt: skip
    deal = create_deal(
        acting_user=org.alice, name="Moves", value=Decimal("900"), account=account,
        created_on=datetime.date(2026, 7, 1), expected_close_on=datetime.date(2026, 8, 30),
    )  # fmt: skip
    make_deal(org.bob, stage_code="proposal", created_on=datetime.date(2026, 7, 9), value=3)
    rollup.rebuild()
    return org, stages, account, first, deal


def test_service_writes_keep_the_rollups_equal_to_a_rebuild(moving):
    org, stages, account, first, deal = moving
    move_deal_to_stage(
        deal, stages["proposal"], acting_user=org.alice, at=at(datetime.date(2026, 7, 20))
    )
    move_deal_to_stage(deal, stages["won"], acting_user=org.alice, at=at(datetime.date(2026, 8, 2)))
    update_deal(Deal.objects.get(pk=deal.pk), acting_user=org.mona, owner=org.bob)
    delete_deal(first, acting_user=org.hanna)  # the account's first win is now `deal`
    create_activity(
        acting_user=org.bob, account=account, deal=Deal.objects.filter(owner=org.bob).first(),
        kind="call", subject="Hello", occurred_at=at(datetime.date(2026, 9, 1)),
    )  # fmt: skip
    assert from_rollup(org.hanna, Q3) == per_rep_by_hand(Q3)
    assert company_kpis(KpiScope(org.hanna, Q3)).new_customers == 1
    company = company_kpis(KpiScope(org.hanna, Q3))  # from the company rollup
    by_hand = per_rep_by_hand(Q3).values()
    for key in ("won_value", "deals_won", "deals_lost", "deals_created", "open_pipeline"):
        assert getattr(company, key) == sum(row[key] for row in by_hand)
    incremental = snapshot()
    rollup.rebuild()
    assert snapshot() == incremental


def test_bulk_writes_are_found_by_their_ids(moving):
    org, stages, account, first, deal = moving
    rollup.refresh()
    deals = Deal.objects.bulk_create(
        [
            Deal(name=f"Bulk {n}", owner=org.bob, stage=stages["won"], value=Decimal(100 + n),
                 created_on=datetime.date(2026, 7, 1), closed_on=datetime.date(2026, 7, 2 + n))
            for n in range(3)
        ]
    )  # fmt: skip
    if deals[0].pk is None:  # no RETURNING
        deals = list(Deal.objects.filter(name__startswith="Bulk "))
    StageChange.objects.bulk_create(
        [StageChange(deal=d, to_stage=stages["won"], changed_at=at(d.closed_on)) for d in deals]
    )
    rollup.refresh()  # what the job kpis.refresh does every minute
    assert from_rollup(org.hanna, Q3) == per_rep_by_hand(Q3)
    incremental = snapshot()
    rollup.rebuild()
    assert snapshot() == incremental


def test_a_fresh_rollup_costs_one_query(moving):
    rollup.refresh()
    with CaptureQueriesContext(connection) as queries:
        rollup.refresh()
    assert len(queries) == 1


def test_bulk_updates_past_the_services_rebuild_everything(moving):
    org, stages, account, first, deal = moving
    Deal.objects.filter(pk=deal.pk).update(value=Decimal("1"))  # past the services, same ids
    with CaptureQueriesContext(connection) as queries:
        rollup.mark_everything_stale()  # and asks for the job, which rebuilds everything
        assert RollupState.objects.get().complete  # the job ran before this read
    assert any("DELETE" in query["sql"] or "TRUNCATE" in query["sql"] for query in queries)
    assert from_rollup(org.hanna, Q3) == per_rep_by_hand(Q3)


def test_each_role_reads_only_its_own_rows(moving):
    org, *_ = moving
    everyone = per_rep_by_hand(Q3)
    assert from_rollup(org.alice, Q3) == {org.alice.pk: everyone[org.alice.pk]}
    members = set(
        org.mona.__class__.objects.filter(team__manager=org.mona).values_list("pk", flat=True)
    )
    assert from_rollup(org.mona, Q3) == {k: v for k, v in everyone.items() if k in members}


def test_a_key_account_manager_still_reads_the_deals(org):
    """A KAM also sees other owners' deals on their accounts: not a set of owners."""
    kam = org.kim
    assert not rollup.covers(kam)
    account = make_account(kam)
    other = make_user("kam-peer", Role.SALES_REP, org.north)
    make_deal(other, account, "won", value=Decimal(70), closed_on=datetime.date(2026, 7, 5))
    company = company_kpis(KpiScope(kam, Q3))
    visible = [d for d in Deal.objects.all() if d.account_id == account.pk or d.owner_id == kam.pk]
    assert company.won_value == sum(
        (d.value for d in visible if d.stage.outcome == StageOutcome.WON), Decimal(0)
    )


def test_funnel_and_stalled_deals_follow_service_moves(moving):
    org, stages, account, first, deal = moving
    before = {step.code: step.reached for step in funnel(KpiScope(org.hanna, Q3))}
    move_deal_to_stage(
        deal, stages["proposal"], acting_user=org.alice, at=at(datetime.date(2026, 7, 20))
    )
    after = {step.code: step.reached for step in funnel(KpiScope(org.hanna, Q3))}
    assert after["proposal"] == before["proposal"] + 1
    today = datetime.date(2026, 12, 31)
    rows, total = stalled_deals(KpiScope(org.hanna, Q3), today=today)
    open_ids = set(
        Deal.objects.filter(stage__outcome=StageOutcome.OPEN).values_list("pk", flat=True)
    )
    assert {d.pk for d in rows} <= open_ids and total == len(rows)


def test_the_longest_idle_deals_come_first_across_stages(org):
    """The whole company's stalled deals are read stage by stage and merged: the same deals,
    in the same order (longest idle first, then by id), as sorting every open deal by the last
    touch its own history gives; a Sales Manager's (read in one query) likewise."""
    account = make_account(org.alice)
    open_stages = list(
        Stage.objects.filter(outcome=StageOutcome.OPEN).values_list("code", flat=True)
    )
    for i in range(14):  # the same creation days in different stages: ties broken by id
        make_deal(
            org.alice if i % 3 else org.bob, account, open_stages[i % len(open_stages)],
            created_on=datetime.date(2026, 1, 5) + datetime.timedelta(days=9 * (i % 4)),
        )  # fmt: skip
    today = datetime.date(2026, 12, 31)  # every deal idle for far longer than usual
    by_history = Deal.objects.filter(stage__outcome=StageOutcome.OPEN).annotate(
        touch=rollup.last_touch()
    )
    for user in (org.hanna, org.mona):
        mine = by_history.filter(owner__team__manager=org.mona) if user == org.mona else by_history
        expected = [d.pk for d in sorted(mine, key=lambda d: (d.touch, d.pk))]
        rows, total = stalled_deals(KpiScope(user, Q3), today=today, limit=5)
        assert [d.pk for d in rows] == expected[:5]
        assert total == len(expected) > 5


def test_the_command_rebuilds(moving):

    org, *_ = moving
    DealMonth.objects.all().delete()  # damaged by hand
    out = io.StringIO()
    call_command("kpis_rollup", stdout=out)  # ids unchanged, nothing stale: left as it is
    assert not DealMonth.objects.exists()
    call_command("kpis_rollup", "--rebuild", stdout=out)
    assert from_rollup(org.hanna, Q3) == per_rep_by_hand(Q3)
    assert "KPI rollups up to date" in out.getvalue()


def test_a_rep_changing_teams_moves_their_figures_with_them(moving):
    org, *_ = moving

    def won_per_team() -> dict:
        rows = group_kpis(KpiScope(org.hanna, Q3), "team")
        return {row.key: row.won_value for row in rows if row.won_value}

    def by_hand() -> dict:
        result: dict = {}
        for deal in Deal.objects.filter(stage__outcome=StageOutcome.WON).select_related("owner"):
            if Q3.start <= deal.closed_on <= Q3.end:
                key = deal.owner.team_id
                result[key] = result.get(key, Decimal(0)) + deal.value
        return result

    assert won_per_team() == by_hand()
    move_to_team(org.alice, org.south)
    assert won_per_team() == by_hand()
    incremental = snapshot()
    rollup.rebuild()
    assert snapshot() == incremental
