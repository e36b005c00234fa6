"""The forecast page, its API and its command on the Maven sample: the same numbers everywhere,
scoped to what the user may see."""

import csv
import io
import json
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tandem.forecast.engine import backtest, parse_period
from tandem.forecast.tests.conftest import MAVEN
from tandem.pipeline.models import Deal
from tandem.users.models import Team
from tandem.users.services import create_api_token
from testsupport.builders import PASSWORD

pytestmark = pytest.mark.django_db

AS_OF = "2017-12-01"


def csv_won_per_month():
    totals = defaultdict(float)
    with open(MAVEN / "sales_pipeline.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["deal_stage"] == "Won":
                totals[row["close_date"][:7]] += float(row["close_value"])
    return totals


def client_for(user, language="en"):
    client = Client(headers={"Accept-Language": language})
    assert client.login(username=user.username, password=PASSWORD)
    return client


def api_for(user):
    _token, raw = create_api_token(user, name="tests", acting_user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_command_prints_the_backtest_as_json(maven):
    out = io.StringIO()
    call_command(
        "forecast",
        "backtest",
        "--from",
        "2017-04",
        "--to",
        "2017-12",
        "--format",
        "json",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    won = csv_won_per_month()
    assert [row["period"] for row in report["periods"]] == [f"2017-{m:02d}" for m in range(4, 13)]
    for row in report["periods"]:
        assert row["actual"] == pytest.approx(won[row["period"]])
        assert set(row) >= {"period", "actual", "forecast", "low", "high", "weighted_pipeline"}
    assert set(report) >= {"mape_forecast", "mape_weighted_pipeline", "interval_coverage"}


def test_command_for_a_team_counts_only_its_deals(maven):
    team = Team.objects.filter(members__owned_deals__isnull=False).distinct().first()
    out = io.StringIO()
    call_command(
        "forecast", "backtest", "--from", "2017-06", "--to", "2017-06", "--team", team.name,
        "--format", "json", stdout=out,
    )  # fmt: skip
    report = json.loads(out.getvalue())
    agents = set(team.members.values_list("first_name", "last_name"))
    names = {f"{first} {last}".strip() for first, last in agents}
    expected = 0.0
    with open(MAVEN / "sales_pipeline.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["deal_stage"] == "Won" and row["close_date"].startswith("2017-06"):
                if row["sales_agent"] in names:
                    expected += float(row["close_value"])
    assert expected > 0
    assert report["periods"][0]["actual"] == pytest.approx(expected)


def test_command_table_and_bad_input(maven):
    out = io.StringIO()
    call_command("forecast", "backtest", "--from", "2017-10", "--to", "2017-12", stdout=out)
    assert "2017-11" in out.getvalue()
    assert "Mean absolute percentage error" in out.getvalue()
    with pytest.raises(CommandError, match="2017Q2"):
        call_command("forecast", "backtest", "--from", "2017-13")
    with pytest.raises(CommandError, match="2017Q2"):
        call_command("forecast", "backtest", "--from", "2017")  # a year is no forecast period
    out = io.StringIO()
    call_command("forecast", "backtest", "--period", "quarter", "--from", "2017Q3", stdout=out)
    same = io.StringIO()
    call_command("forecast", "backtest", "--period", "quarter", "--from", "2017-Q3", stdout=same)
    assert "2017Q3" in out.getvalue() and out.getvalue() == same.getvalue()
    with pytest.raises(CommandError, match="No team"):
        call_command("forecast", "backtest", "--team", "Nowhere")


def learned(user, query: str = f"as_of={AS_OF}") -> None:
    """The user asks for the forecast (a job: run where a worker would take it)."""
    api = api_for(user)
    asked = api.post(f"/api/forecast/learn?{query}")
    assert asked.status_code == 202, asked.content
    assert api.get(f"/api/jobs/{asked.json()['id']}").json()["status"] == "done"


def test_head_of_sales_sees_the_same_numbers_on_the_page_and_in_the_api(maven, org):
    expected = backtest(Deal.objects.all(), parse_period("2017-01"), parse_period("2017-12"))
    december = expected["periods"][-1]
    learned(org.hanna)

    api = api_for(org.hanna).get(f"/api/forecast?as_of={AS_OF}")
    assert api.status_code == 200, api.content
    data = api.json()
    assert data["scope"]["current"]["forecast"] == december["forecast"]
    assert data["scope"]["current"]["low"] == december["low"]
    assert data["scope"]["next"]["period"] == "2018-01"
    assert [row["period"] for row in data["backtest"]["periods"]][-1] == "2017-11"
    maven_teams = Team.objects.filter(members__owned_deals__isnull=False).distinct().count()
    assert len(data["teams"]) >= maven_teams

    assert data["up_to_date"] and data["scope"]["learned_as_of"] == AS_OF
    page = client_for(org.hanna).get(f"/forecast/?as_of={AS_OF}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="forecast-chart"' in html
    assert 'id="backtest-table"' in html
    assert "2017-11" in html
    assert page.context["kept"].current.forecast == december["forecast"] or (
        round(page.context["kept"].current.forecast, 2) == december["forecast"]
    )


def test_a_manager_sees_only_the_team_and_a_rep_not_at_all(maven, org):
    learned(org.mona)
    learned(org.hanna)
    mona = api_for(org.mona).get(f"/api/forecast?as_of={AS_OF}").json()
    hanna = api_for(org.hanna).get(f"/api/forecast?as_of={AS_OF}").json()
    assert hanna["scope"]["current"]["forecast"] > 0
    assert mona["scope"]["current"]["forecast"] == 0  # her team owns no Maven deal
    assert [team["team_name"] for team in mona["teams"]] == ["North"]

    assert api_for(org.alice).get("/api/forecast").status_code == 403
    assert api_for(org.alice).post("/api/forecast/learn").status_code == 403
    assert client_for(org.alice).get("/forecast/").status_code == 403
    assert client_for(org.alice).post("/forecast/").status_code == 403


def test_the_page_speaks_german(maven, org):
    learned(org.hanna, f"as_of={AS_OF}&kind=quarter")
    page = client_for(org.hanna, "de").get(f"/forecast/?as_of={AS_OF}&kind=quarter")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Prognose" in html
    assert "Gewichtete Pipeline" in html
    assert "2017Q3" in html
