"""Attainment, coverage, team-vs-reps quotas and channels on a small hand-built organisation."""

import datetime
from decimal import Decimal

import pytest

from tandem.core.periods import Period
from tandem.kpis.sales import (
    KpiScope,
    _company_quota,
    _personal_quota,
    _team_sums,
    by_channel,
    company_kpis,
    company_target,
    group_kpis,
    labelled,
    leading_teams,
    quota_comparison,
    rep_targets,
    team_rep_sums,
    team_targets,
)
from tandem.pipeline.models import Channel
from tandem.quotas.models import Quota, QuotaMetric
from tandem.quotas.services import delete_quota, set_quota
from tandem.users.models import Role, Team, User
from tandem.users.services import delete_teams, move_to_team
from testsupport.builders import make_account, make_deal, make_team, make_user

pytestmark = pytest.mark.django_db
Q3 = Period.parse("2026Q3")


def won(owner, value, closed, **fields):
    fields.setdefault("account", make_account(owner))
    return make_deal(
        owner,
        stage_code="won",
        value=Decimal(value),
        closed_on=closed,
        created_on=datetime.date(2026, 6, 1),
        **fields,
    )


@pytest.fixture
def numbers(org):
    won(org.alice, 600, datetime.date(2026, 7, 10))
    won(org.alice, 400, datetime.date(2026, 9, 30))
    won(org.alice, 999, datetime.date(2026, 10, 1))  # next quarter
    make_deal(org.alice, stage_code="lost", closed_on=datetime.date(2026, 8, 1))
    make_deal(
        org.alice,
        stage_code="proposal",
        value=Decimal(3000),
        expected_close_on=datetime.date(2026, 9, 15),
    )
    make_deal(
        org.alice,
        stage_code="proposal",
        value=Decimal(7000),
        expected_close_on=datetime.date(2026, 12, 15),
    )  # closes later
    won(org.bob, 2000, datetime.date(2026, 8, 20))
    set_quota(
        acting_user=org.hanna, user=org.alice, metric="won_value", period="2026-07", target=1000
    )
    set_quota(
        acting_user=org.hanna, user=org.alice, metric="won_value", period="2026-08", target=1000
    )
    set_quota(
        acting_user=org.hanna, user=org.alice, metric="won_value", period="2026-09", target=2000
    )
    set_quota(
        acting_user=org.hanna, team=org.north, metric="won_value", period="2026Q3", target=5000
    )
    set_quota(acting_user=org.hanna, user=org.bob, metric="won_value", period="2026Q3", target=4000)
    return org


def test_attainment_sums_the_monthly_quotas_of_the_quarter(numbers):
    alice = company_kpis(KpiScope(numbers.alice, Q3))
    assert alice.won_value == Decimal(1000)
    assert alice.quota == Decimal(4000)
    assert alice.attainment == pytest.approx(1000 / 4000)
    assert alice.win_rate == pytest.approx(2 / 3)
    # open pipeline closing in the quarter / (quota - won so far)
    assert alice.open_pipeline == Decimal(3000)
    assert alice.pipeline_coverage == pytest.approx(3000 / (4000 - 1000))


def test_team_uses_its_own_quota_and_company_adds_the_teams(numbers):
    teams = {row.obj.name: row for row in labelled(KpiScope(numbers.hanna, Q3), "team")}
    assert teams["North"].quota == Decimal(5000)
    assert teams["North"].attainment == pytest.approx(1000 / 5000)
    # South has no team quota: the sum of its reps' quotas stands in.
    assert teams["South"].quota == Decimal(4000)
    company = company_kpis(KpiScope(numbers.hanna, Q3))
    assert company.won_value == Decimal(3000)
    assert company.quota == Decimal(9000)
    manager = company_kpis(KpiScope(numbers.mona, Q3))
    assert manager.quota == Decimal(5000) and manager.won_value == Decimal(1000)


def test_the_quota_a_scope_answers_for(numbers, org):
    """Summed in the database: a team's own quota, else its reps'; people without a team
    count only when no quota belongs to a team."""

    def target(user, team=None):
        return company_target(KpiScope(user, Q3, team), "won_value")

    set_quota(acting_user=org.hanna, user=org.kim, metric="won_value", period="2026Q3", target=7)
    assert target(org.hanna) == Decimal(9000)  # North's 5000 + South's reps' 4000, not kim's
    assert target(org.hanna, org.south) == Decimal(4000)
    assert target(org.hanna, org.north) == Decimal(5000)
    assert target(org.sam) == Decimal(4000) and target(org.mona, org.north) == Decimal(5000)
    assert target(org.alice) == Decimal(4000) and target(org.alice, org.north) == Decimal(4000)
    assert company_target(KpiScope(org.hanna, Q3.shifted(1)), "won_value") is None
    for rep in User.objects.filter(pk__in=[org.alice.pk, org.bob.pk]):
        move_to_team(rep, None)
    for team_quota in org.north.quotas.all():
        delete_quota(team_quota, acting_user=org.hanna)
    assert target(org.hanna) == Decimal(4000 + 4000 + 7)  # everyone's personal quotas


def test_the_whole_company_s_quota_sums_follow_every_change(numbers, org):
    """The quota rollup behind the whole company's sums equals a plain sum of the quotas
    after quotas are set, changed and deleted and people change teams (to and from none):
    per team, and the company's quota summed by the database."""

    def plain():
        teams, reps, personal = {}, {}, {}
        for quota in Quota.objects.select_related("user"):
            if not Q3.start <= quota.period_start <= quota.period_end <= Q3.end:
                continue
            if quota.team_id:
                key = (quota.metric, quota.team_id)
                teams[key] = teams.get(key, 0) + quota.target
                continue
            personal[quota.metric] = personal.get(quota.metric, 0) + quota.target
            if quota.user.team_id:
                key = (quota.metric, quota.user.team_id)
                reps[key] = reps.get(key, 0) + quota.target
        company = {}
        for metric in QuotaMetric.values:
            with_quota = {team for m, team in {*teams, *reps} if m == metric}
            targets = [teams.get((metric, t), reps.get((metric, t))) for t in with_quota]
            company[metric] = (sum(targets) if targets else None, personal.get(metric))
        return teams, reps, company

    def kept():
        sums = _team_sums(KpiScope(org.hanna, Q3))
        teams, reps = (
            {(m, t): v for m, by in sums[k].items() for t, v in by.items()}
            for k in ("teams", "team_reps")
        )
        company = {m: (t, _personal_quota(Q3, m)) for m, t in _company_quota(Q3).items()}
        return teams, reps, company

    def move(person, team):
        person.refresh_from_db()
        move_to_team(person, team)

    assert kept() == plain()
    quota = dict(acting_user=org.hanna, metric="won_value", period="2026Q3")
    changes = [
        lambda: set_quota(user=org.kim, target=7, **quota),
        lambda: set_quota(team=org.south, target=3, **{**quota, "metric": "deals_won"}),
        lambda: set_quota(user=org.alice, target=900, **{**quota, "period": "2026-07"}),
        lambda: move(org.kim, org.south),
        lambda: move(org.alice, None),
        lambda: move(org.alice, org.south),
        lambda: delete_quota(org.north.quotas.get(), acting_user=org.hanna),
        lambda: delete_teams(Team.objects.filter(pk=org.south.pk)),  # its people: no team
    ]
    for change in changes:
        change()
        assert kept() == plain()
    assert plain()[2]["won_value"][1]  # the changes left something to compare


def test_team_quota_and_the_reps_sum_side_by_side(numbers):
    rows = {row.team_name: row for row in quota_comparison(KpiScope(numbers.hanna, Q3))}
    assert rows["North"].team_quota == Decimal(5000)
    assert rows["North"].reps_sum == Decimal(4000)
    assert rows["North"].differs is True
    assert rows["South"].team_quota is None and rows["South"].differs is False
    assert [r.team_name for r in quota_comparison(KpiScope(numbers.mona, Q3))] == ["North"]
    north = numbers.mona.managed_teams.get()
    assert [r.team_name for r in quota_comparison(KpiScope(numbers.hanna, Q3, north))] == [
        "North"
    ]  # the Head of Sales looking at one team
    assert quota_comparison(KpiScope(numbers.alice, Q3)) == []


def test_no_quota_means_no_attainment_or_coverage(org):
    won(org.alice, 100, datetime.date(2026, 7, 1))
    kpis = company_kpis(KpiScope(org.alice, Q3))
    assert kpis.quota is None and kpis.attainment is None
    assert kpis.pipeline_coverage is None


def test_channels_show_which_grow(org):
    partner = Channel.objects.get_or_create(code="partner-kpi", defaults={"name": "Partner"})[0]
    web = Channel.objects.get_or_create(code="web-kpi", defaults={"name": "Web"})[0]
    won(org.alice, 100, datetime.date(2026, 5, 1), channel=partner)
    won(org.alice, 300, datetime.date(2026, 8, 1), channel=partner)
    won(org.alice, 500, datetime.date(2026, 4, 1), channel=web)
    won(org.alice, 250, datetime.date(2026, 7, 1), channel=web)
    rows = {row.channel.code: row for row in by_channel(KpiScope(org.mona, Q3))}
    assert rows["partner-kpi"].won_value == Decimal(300)
    assert rows["partner-kpi"].previous_won_value == Decimal(100)
    assert rows["partner-kpi"].growth == pytest.approx(2.0)
    assert rows["web-kpi"].growth == pytest.approx(-0.5)
    # bob's manager sees none of it
    assert by_channel(KpiScope(org.sam, Q3)) == []


def test_a_new_customer_is_counted_in_the_period_of_its_first_win_only(org):
    account = make_account(org.alice)
    won(org.alice, 1, datetime.date(2026, 6, 30), account=account)
    won(org.alice, 1, datetime.date(2026, 7, 5), account=account)
    fresh = make_account(org.alice)
    won(org.alice, 1, datetime.date(2026, 7, 6), account=fresh)
    won(org.alice, 1, datetime.date(2026, 8, 6), account=fresh)
    assert company_kpis(KpiScope(org.alice, Q3)).new_customers == 1
    assert company_kpis(KpiScope(org.alice, Period.parse("2026Q2"))).new_customers == 1


def test_attainment_of_deals_won_and_new_customers_quotas(numbers):
    org = numbers
    set_quota(acting_user=org.hanna, user=org.alice, metric="deals_won", period="2026Q3", target=4)
    set_quota(
        acting_user=org.hanna, user=org.alice, metric="new_customers", period="2026-08", target=1
    )
    alice = company_kpis(KpiScope(org.alice, Q3))
    assert alice.quota_deals_won == Decimal(4)
    assert alice.attainment_deals_won == pytest.approx(2 / 4)  # two won in Q3
    # new customers: both won deals are on new accounts; only the August quota lies in Q3
    assert alice.quota_new_customers == Decimal(1)
    assert alice.attainment_new_customers == pytest.approx(2 / 1)
    bob = company_kpis(KpiScope(org.bob, Q3))
    assert bob.quota_deals_won is None and bob.attainment_deals_won is None


def test_company_attainment_counts_only_the_teams_whose_quotas_it_sums(numbers):
    """A Key Account Manager's win is in the company's won value, not in its attainment: no
    quota covers it. Checked by hand from the deals above."""
    org = numbers
    won(org.kim, 10000, datetime.date(2026, 8, 1))
    company = company_kpis(KpiScope(org.hanna, Q3))
    teams_won = Decimal(600 + 400 + 2000)  # alice (North) and bob (South) in Q3
    quota = Decimal(5000 + 4000)  # North's own quota, South: bob's quota
    assert company.won_value == teams_won + 10000
    assert company.won_value_in_quota == teams_won
    assert company.won_value_outside_quota == Decimal(10000)
    assert company.quota == quota
    assert company.attainment == pytest.approx(float(teams_won / quota))
    open_in_q3 = 3000
    assert company.pipeline_coverage == pytest.approx(open_in_q3 / float(quota - teams_won))
    # a team's own figures are its deals either way
    north = company_kpis(KpiScope(org.hanna, Q3, org.north))
    assert north.won_value_outside_quota == 0
    assert north.attainment == pytest.approx(1000 / 5000)


@pytest.mark.parametrize("outside_limit", [500, 0])
def test_company_new_customers_within_quota_leave_out_only_outsiders_wins(
    numbers, monkeypatch, outside_limit
):
    """New customers won only by people outside the quota's teams (a KAM, a team without a
    quota) are in the company's new customers, not in its attainment; an account first won on
    the same day inside as well counts inside. Counted by hand from the deals; the same when
    there are too many teams without a quota to subtract (the teams with one are summed)."""
    monkeypatch.setattr("tandem.kpis.sales.OUTSIDE_TEAMS_LIMIT", outside_limit)
    org = numbers
    east = make_team("East", org.sam, "East")
    erin = make_user("erin", Role.SALES_REP, east)
    won(org.kim, 10000, datetime.date(2026, 8, 1))
    won(erin, 700, datetime.date(2026, 8, 2))
    shared = make_account(org.alice)
    won(org.kim, 50, datetime.date(2026, 8, 3), account=shared)
    won(org.alice, 60, datetime.date(2026, 8, 3), account=shared)
    for whom in ({"team": org.north}, {"user": org.bob}):
        set_quota(acting_user=org.hanna, metric="new_customers", period="2026Q3", target=4, **whom)
    company = company_kpis(KpiScope(org.hanna, Q3))
    # alice's two, bob's one, kim's one, erin's one and the shared one
    assert company.new_customers == 6
    assert company.quota_new_customers == Decimal(8)
    assert company.attainment_new_customers == pytest.approx(4 / 8)
    inside = Decimal(600 + 400 + 60 + 2000)
    assert company.won_value_in_quota == inside
    assert company.won_value_outside_quota == Decimal(10000 + 700 + 50)
    assert company.attainment == pytest.approx(float(inside / Decimal(5000 + 4000)))


def test_leading_teams_are_the_whole_list_s_top(numbers):
    """The teams a page of thousands shows: the same rows as the full list's top, in order,
    and how many are left out."""
    org = numbers
    east = make_team("East", org.sam, "East")
    won(make_user("erin", Role.SALES_REP, east), 1500, datetime.date(2026, 8, 2))
    won(org.kim, 100, datetime.date(2026, 8, 1))  # the people without a team count as one
    scope = KpiScope(org.hanna, Q3)
    every = sorted(group_kpis(scope, "team"), key=lambda row: row.won_value, reverse=True)
    assert [row.key for row in every] == [org.south.pk, east.pk, org.north.pk, None]
    for limit in (1, 2, 4, 10):
        rows, left_out = leading_teams(KpiScope(org.hanna, Q3), limit)
        assert rows == every[:limit]
        assert left_out == max(len(every) - limit, 0)


def test_a_manager_s_figures_read_only_their_teams_quotas(numbers, org):
    """A Sales Manager's page sums their teams' quotas, not every team's (thousands in a large
    company); the Head of Sales' sums every team's, or the picked team's."""

    assert set(team_targets(KpiScope(org.hanna, Q3))) == {org.north.pk}
    assert set(team_rep_sums(KpiScope(org.hanna, Q3))) == {org.north.pk, org.south.pk}
    assert set(team_rep_sums(KpiScope(org.mona, Q3))) == {org.north.pk}
    assert set(rep_targets(KpiScope(org.mona, Q3))) == {org.alice.pk}
    assert set(rep_targets(KpiScope(org.sam, Q3))) == {org.bob.pk}
    assert set(rep_targets(KpiScope(org.hanna, Q3, org.south))) == {org.bob.pk}
    assert set(rep_targets(KpiScope(org.bob, Q3))) == {org.bob.pk}
