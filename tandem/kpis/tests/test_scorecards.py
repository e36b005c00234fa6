import datetime
from decimal import Decimal

import pytest

from tandem.core.testing import make_account, make_activity, make_deal, make_user
from tandem.kpis.bottlenecks import STALL_DEFAULT_DAYS, stalled_deals
from tandem.kpis.periods import Period
from tandem.kpis.sales import KpiScope, labelled
from tandem.kpis.scorecards import flag_against_team
from tandem.users.models import Role

pytestmark = pytest.mark.django_db
Q3 = Period.parse("2026Q3")


def closed(owner, stage_code, day=datetime.date(2026, 8, 1), value=1000):
    return make_deal(
        owner, make_account(owner), stage_code=stage_code, value=Decimal(value),
        engaged_on=day - datetime.timedelta(days=30), closed_on=day,
    )  # fmt: skip


def test_reps_well_below_or_above_their_team_are_flagged_with_the_reason(org):
    carol = make_user("carol", Role.SALES_REP, org.north)
    closed(org.alice, "won")
    for _ in range(3):
        closed(org.alice, "lost")
        closed(carol, "won")
    scope = KpiScope(org.mona, Q3)
    reps = {
        r["obj"].username: r
        for r in flag_against_team(labelled(scope, "rep"), labelled(scope, "team"))
    }
    # team: 4 won of 7 closed; alice 1 of 4 (0.44 of the team's), carol 3 of 3 (1.75 of it)
    alice = {f["key"]: f for f in reps["alice"]["flags"]}
    carol_flags = {f["key"]: f for f in reps["carol"]["flags"]}
    assert alice["win_rate"]["better"] is False
    assert alice["win_rate"]["value"] == pytest.approx(1 / 4)
    assert alice["win_rate"]["team_value"] == pytest.approx(4 / 7)
    assert carol_flags["win_rate"]["better"] is True
    assert "avg_deal_size" not in alice and "sales_cycle_days" not in alice


def test_few_closed_deals_are_not_flagged(org):
    closed(org.alice, "lost")
    make_user("dave", Role.SALES_REP, org.north)
    scope = KpiScope(org.mona, Q3)
    reps = flag_against_team(labelled(scope, "rep"), labelled(scope, "team"))
    assert all(rep["flags"] == [] for rep in reps)


def test_stalled_deals_are_listed_for_the_owner_and_their_manager_only(org):
    today = datetime.date(2026, 9, 1)
    idle = make_deal(
        org.alice,
        make_account(org.alice),
        stage_code="proposal",
        created_on=today - datetime.timedelta(days=STALL_DEFAULT_DAYS + 5),
    )
    touched = make_deal(
        org.alice,
        make_account(org.alice),
        stage_code="proposal",
        created_on=today - datetime.timedelta(days=90),
    )
    make_activity(
        touched.account,
        org.alice,
        deal=touched,
        occurred_at=datetime.datetime(2026, 8, 25, 10, tzinfo=datetime.UTC),
    )
    make_deal(
        org.alice,
        make_account(org.alice),
        stage_code="proposal",
        created_on=today - datetime.timedelta(days=3),
    )  # fresh
    make_deal(
        org.alice,
        make_account(org.alice),
        stage_code="lost",
        created_on=today - datetime.timedelta(days=300),
    )  # closed
    for user in [org.alice, org.mona, org.hanna]:
        rows, total = stalled_deals(KpiScope(user, Q3), today=today)
        assert [deal.pk for deal in rows] == [idle.pk] and total == 1
        assert rows[0].idle_days == STALL_DEFAULT_DAYS + 5
    for user in [org.bob, org.sam]:
        assert stalled_deals(KpiScope(user, Q3), today=today) == ([], 0)
