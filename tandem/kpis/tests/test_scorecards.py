import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.conf import settings

from tandem.activities.models import Activity
from tandem.core.periods import Period
from tandem.kpis.bottlenecks import STALL_DEFAULT_DAYS, stalled_deals
from tandem.kpis.sales import KpiScope, labelled
from tandem.kpis.scorecards import add_activities, flag_against_team
from tandem.users.models import Role
from testsupport.builders import make_account, make_activity, make_deal, make_user

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
        r.obj.username: r
        for r in flag_against_team(labelled(scope, "rep"), labelled(scope, "team"))
    }
    # team: 4 won of 7 closed; alice 1 of 4 (0.44 of the team's), carol 3 of 3 (1.75 of it)
    alice = {f.key: f for f in reps["alice"].flags}
    carol_flags = {f.key: f for f in reps["carol"].flags}
    assert alice["win_rate"].better is False
    assert alice["win_rate"].value == pytest.approx(1 / 4)
    assert alice["win_rate"].team_value == pytest.approx(4 / 7)
    assert carol_flags["win_rate"].better is True
    assert "avg_deal_size" not in alice and "sales_cycle_days" not in alice


def test_few_closed_deals_are_not_flagged(org):
    closed(org.alice, "lost")
    make_user("dave", Role.SALES_REP, org.north)
    scope = KpiScope(org.mona, Q3)
    reps = flag_against_team(labelled(scope, "rep"), labelled(scope, "team"))
    assert all(rep.flags == [] for rep in reps)


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


def test_activities_per_rep_against_the_team_are_counted_and_flagged(org):
    """Counted by hand from the activity rows: alice 6 in Q3, carol 1, dave none; the team's
    activities per rep = (6 + 1 + 0) / 3 reps; alice above 1.5 ×, carol and dave below half."""

    carol = make_user("carol", Role.SALES_REP, org.north)
    dave = make_user("dave", Role.SALES_REP, org.north)
    account = make_account(org.alice)
    berlin = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    for day in range(6):
        make_activity(
            account, org.alice, occurred_at=datetime.datetime(2026, 7, 1 + day, 9, tzinfo=berlin)
        )
    make_activity(account, carol, occurred_at=datetime.datetime(2026, 9, 30, 23, 30, tzinfo=berlin))
    make_activity(
        account, carol, occurred_at=datetime.datetime(2026, 10, 1, 0, 30, tzinfo=berlin)
    )  # Q4
    for person in (org.alice, carol, dave):
        closed(person, "won")
    scope = KpiScope(org.mona, Q3)
    teams = labelled(scope, "team")
    reps = labelled(scope, "rep")
    add_activities(scope, reps, teams)
    start = datetime.datetime(2026, 7, 1, tzinfo=berlin)
    end = datetime.datetime(2026, 10, 1, tzinfo=berlin)
    by_hand = {
        person.pk: Activity.objects.filter(
            owner=person, occurred_at__gte=start, occurred_at__lt=end
        ).count()
        for person in (org.alice, carol, dave)
    }
    assert {rep.key: rep.activities for rep in reps} == by_hand
    north = next(row for row in teams if row.key == org.north.pk)
    assert north.activities_per_rep == pytest.approx(sum(by_hand.values()) / 3)
    flagged = flag_against_team(reps, teams)
    flags = {rep.key: [f for f in rep.flags if f.key == "activities"] for rep in flagged}
    assert flags[org.alice.pk][0].better is True
    assert flags[carol.pk][0].better is False and flags[dave.pk][0].better is False
