"""Every sales KPI on the Maven CRM sample against the same figure computed from the CSV files
with the csv module (tandem/kpis/tests/conftest.py), never with our own queries."""

import datetime
import json
from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tandem.core.periods import Period
from tandem.kpis.bottlenecks import (
    STALL_DEFAULT_DAYS,
    STALL_FACTOR,
    STALL_MIN_DAYS,
    stage_dwell,
    stalled_deals,
)
from tandem.kpis.sales import (
    KPI_KEYS,
    KpiScope,
    company_kpis,
    funnel,
    group_kpis,
    labelled,
)
from tandem.pipeline.models import Deal
from tandem.users.models import Role, Team, User

pytestmark = pytest.mark.django_db

QUARTERS = ["2016Q4", "2017Q1", "2017Q2", "2017Q3", "2017Q4"]


def within(day, period: Period) -> bool:
    return day is not None and period.start <= day <= period.end


def won_in(maven_csv, period):
    return [d for d in maven_csv.deals if d["deal_stage"] == "Won" and within(d["closed"], period)]


@pytest.mark.parametrize("code", QUARTERS + ["2017", "2017-06"])
def test_won_value_and_deals_won_match_the_csv(maven, maven_csv, code):
    period = Period.parse(code)
    won = won_in(maven_csv, period)
    kpis = company_kpis(KpiScope(maven, period))
    assert kpis.won_value == sum((d["value"] for d in won), Decimal("0"))
    assert kpis.deals_won == len(won)
    if won:
        expected = sum(d["value"] for d in won) / len(won)
        assert kpis.avg_deal_size == expected.quantize(Decimal("0.01"))
    else:
        assert kpis.avg_deal_size is None


@pytest.mark.parametrize("code", ["2017Q2", "2017Q3", "2017"])
def test_win_rate_per_manager_matches_the_csv(maven, maven_csv, code):
    period = Period.parse(code)
    counts = defaultdict(lambda: {"Won": 0, "Lost": 0})
    for d in maven_csv.deals:
        if d["deal_stage"] in {"Won", "Lost"} and within(d["closed"], period):
            counts[d["manager"]][d["deal_stage"]] += 1
    rows = labelled(KpiScope(maven, period), "team")
    got = {row.obj.manager.get_full_name(): row.win_rate for row in rows}
    expected = {m: c["Won"] / (c["Won"] + c["Lost"]) for m, c in counts.items()}
    assert got.keys() == expected.keys()
    for manager, rate in expected.items():
        assert got[manager] == pytest.approx(rate)


def test_sales_cycle_per_product_matches_the_csv(maven, maven_csv):
    period = Period.parse("2017")
    days = defaultdict(list)
    for d in won_in(maven_csv, period):
        days[d["product"].replace("GTXPro", "GTX Pro")].append((d["closed"] - d["engaged"]).days)
    rows = labelled(KpiScope(maven, period), "product")
    got = {row.obj.name: row.sales_cycle_days for row in rows}
    assert got.keys() == days.keys()
    for product, values in days.items():
        assert got[product] == pytest.approx(sum(values) / len(values), abs=0.05)


@pytest.mark.parametrize("code", QUARTERS + ["2017"])
def test_new_customers_per_quarter_match_the_csv(maven, maven_csv, code):
    period = Period.parse(code)
    first_win = {}
    for d in maven_csv.deals:
        if d["deal_stage"] == "Won" and d["account"]:
            first_win[d["account"]] = min(first_win.get(d["account"], d["closed"]), d["closed"])
    expected = sum(1 for first in first_win.values() if within(first, period))
    assert company_kpis(KpiScope(maven, period)).new_customers == expected


def test_deals_won_per_rep_match_the_csv(maven, maven_csv):
    period = Period.parse("2017Q2")
    expected = defaultdict(int)
    for d in won_in(maven_csv, period):
        expected[f"maven:agent:{d['sales_agent']}"] += 1
    rows = labelled(KpiScope(maven, period), "rep")
    got = {row.obj.external_ref: row.deals_won for row in rows if row.deals_won}
    assert got == dict(expected)


@pytest.mark.parametrize("code", ["2017Q1", "2017Q3"])
def test_pipeline_created_per_region_matches_the_csv(maven, maven_csv, code):
    period = Period.parse(code)
    expected = defaultdict(Decimal)
    for d in maven_csv.deals:
        if within(d["engaged"], period):
            expected[d["region"]] += d["value"]
    rows = labelled(KpiScope(maven, period), "region")
    got = {row.obj.name: row.pipeline_created for row in rows if row.deals_created}
    assert got == dict(expected)


@pytest.mark.parametrize("code", ["2017Q2", "2017Q4"])
def test_funnel_of_the_deals_engaged_in_the_quarter_matches_the_csv(maven, maven_csv, code):
    period = Period.parse(code)
    cohort = [d for d in maven_csv.deals if within(d["engaged"], period)]
    won = sum(1 for d in cohort if d["deal_stage"] == "Won")
    steps = {step.code: step for step in funnel(KpiScope(maven, period))}
    # Every Maven deal with an engagement date entered "engaging" (so also reached the earlier
    # "prospecting" and "qualifying"), none went further before closing.
    assert steps["prospecting"].reached == len(cohort)
    assert steps["engaging"].reached == len(cohort)
    assert steps["proposal"].reached == won
    assert steps["won"].reached == won
    assert steps["won"].lost == sum(1 for d in cohort if d["deal_stage"] == "Lost")
    assert steps["negotiation"].conversion == pytest.approx(1.0)


def test_a_rep_sees_only_their_own_figures(maven, maven_csv):
    period = Period.parse("2017")
    agent = "Darcel Schlecht"
    rep = User.objects.get(external_ref=f"maven:agent:{agent}")
    won = [d for d in won_in(maven_csv, period) if d["sales_agent"] == agent]
    kpis = company_kpis(KpiScope(rep, period))
    assert kpis.deals_won == len(won)
    assert kpis.won_value == sum(d["value"] for d in won)
    assert [row.key for row in group_kpis(KpiScope(rep, period), "rep")] == [rep.pk]


def test_a_manager_sees_their_team(maven, maven_csv):
    period = Period.parse("2017Q3")
    manager = User.objects.get(external_ref="maven:manager:Melvin Marxen")
    assert manager.role == Role.SALES_MANAGER
    won = [d for d in won_in(maven_csv, period) if d["manager"] == "Melvin Marxen"]
    kpis = company_kpis(KpiScope(manager, period))
    assert kpis.won_value == sum(d["value"] for d in won)
    reps = {row.key for row in group_kpis(KpiScope(manager, period), "rep")}
    agents = {a for a, t in maven_csv.teams.items() if t["manager"] == "Melvin Marxen"}
    assert reps == set(
        Deal.objects.filter(owner__external_ref__in=[f"maven:agent:{a}" for a in agents])
        .values_list("owner_id", flat=True)
        .distinct()
    )


def run_kpis(*args) -> str:

    out = StringIO()
    call_command("kpis", *args, stdout=out)
    return out.getvalue()


def test_cli_json_has_one_key_per_kpi_for_company_teams_and_reps(maven, maven_csv):

    report = json.loads(
        run_kpis("--role", "sales", "--period", "2017Q3", "--format", "json", "--user", "kpi-head")
    )
    names = [
        "won_value", "deals_won", "win_rate", "new_customers", "avg_deal_size",
        "sales_cycle_days", "pipeline_created", "pipeline_coverage", "attainment",
    ]  # fmt: skip
    assert set(names) <= set(KPI_KEYS)
    assert report["period"] == "2017Q3"
    for row in [report["company"], *report["teams"], *report["reps"]]:
        assert set(KPI_KEYS) <= row.keys()
    won = won_in(maven_csv, Period.parse("2017Q3"))
    assert report["company"]["won_value"] == float(sum(d["value"] for d in won))
    assert report["company"]["deals_won"] == len(won)
    managers = {t["manager"] for t in maven_csv.teams.values()}
    assert len(report["teams"]) == len(managers)
    agents_with_deals = {d["sales_agent"] for d in maven_csv.deals}
    assert len(report["reps"]) == len(agents_with_deals)
    assert sum(r["deals_won"] for r in report["reps"]) == len(won)
    assert [s["stage"] for s in report["funnel"]][-1] == "won"


def test_cli_for_one_team_and_as_a_table(maven, maven_csv):

    team = Team.objects.get(manager__external_ref="maven:manager:Rocco Neubert")
    report = json.loads(
        run_kpis("--period", "2017", "--team", team.name, "--format", "json", "--user", "kpi-head")
    )
    won = [d for d in won_in(maven_csv, Period.parse("2017")) if d["manager"] == "Rocco Neubert"]
    assert report["team"] == team.name
    assert report["company"]["deals_won"] == len(won)
    table = run_kpis("--period", "2017", "--team", team.name, "--user", "kpi-head")
    assert "won_value" in table and team.name in table


def test_cli_refuses_a_period_that_does_not_exist(maven):
    with pytest.raises(CommandError, match="2017Q9"):
        run_kpis("--period", "2017Q9", "--user", "kpi-head")


# --- bottlenecks and stalled deals ---------------------------------------------------------


def closed_between(maven_csv, start, end):
    return [
        d
        for d in maven_csv.deals
        if d["deal_stage"] in {"Won", "Lost"} and start <= d["closed"] <= end
    ]


def test_time_in_stage_against_the_scopes_own_past_matches_the_csv(maven, maven_csv):
    period = Period.parse("2017Q3")
    rows = {row.stage.code: row for row in stage_dwell(KpiScope(maven, period))}
    # Maven deals enter "engaging" at their engagement and leave it when they close.
    now = closed_between(maven_csv, period.start, period.end)
    past = closed_between(maven_csv, period.shifted(-4).start, period.previous.end)
    assert rows["engaging"].visits == len(now)
    assert rows["engaging"].past_visits == len(past)
    for key, deals in [("days", now), ("past_days", past)]:
        expected = sum((d["closed"] - d["engaged"]).days for d in deals) / len(deals)
        # stage changes are at local midnight: a summer-time switch moves a visit by 1/24 day
        assert getattr(rows["engaging"], key) == pytest.approx(expected, abs=0.05)
    assert rows["proposal"].visits == 0 and rows["proposal"].bottleneck is False


def test_stalled_deals_match_the_csv(maven, maven_csv):

    def midnight(day):  # stage changes: local midnight, as the import writes them
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))

    def utc_midnight(day):  # the creation day, as a moment
        return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)

    today = datetime.date(2017, 12, 31)
    recent = closed_between(maven_csv, today - datetime.timedelta(days=365), today)
    dwell = [(midnight(d["closed"]) - midnight(d["engaged"])).total_seconds() for d in recent]
    usual = max(STALL_FACTOR * sum(dwell) / len(dwell) / 86400, STALL_MIN_DAYS)
    cutoff = midnight(today) - datetime.timedelta(days=usual)
    expected = [
        d
        for d in maven_csv.deals
        if d["deal_stage"] == "Engaging"
        and max(midnight(d["engaged"]), utc_midnight(d["engaged"])) < cutoff
    ]
    rows, total = stalled_deals(KpiScope(maven, Period.parse("2017Q4")), today=today, limit=10)
    assert total == len(expected)
    assert len(rows) == 10
    oldest = min(d["engaged"] for d in expected)
    assert rows[0].idle_days == (today - oldest).days
    assert rows[0].usual_days == round(usual)
    assert all(row.stage.code == "engaging" for row in rows)


def test_cli_json_reports_time_in_stage_and_stalled_deals(maven, maven_csv):

    report = json.loads(run_kpis("--period", "2017Q3", "--format", "json", "--user", "kpi-head"))
    engaging = next(row for row in report["time_in_stage"] if row["stage"] == "engaging")
    period = Period.parse("2017Q3")
    closed = closed_between(maven_csv, period.start, period.end)
    assert engaging["visits"] == len(closed)
    # Today the Maven deals are years old: every open engaging deal is stalled (the usual time
    # is the default, nothing closed in the last 365 days), the prospecting ones were touched
    # by the import today.
    engaging_open = [d for d in maven_csv.deals if d["deal_stage"] == "Engaging"]
    assert report["stalled_deals"]["count"] == len(engaging_open)
    assert report["stalled_deals"]["longest_idle"][0]["usual_days"] == STALL_DEFAULT_DAYS
