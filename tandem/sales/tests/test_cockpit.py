"""One builder for the Sales Manager's cockpit: the page, GET /api/kpis/sales and
`tandem kpis --role sales` show the figures of the same `SalesCockpit`."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tandem.core.periods import Period
from tandem.forecast.services import learn_for
from tandem.kpis.report import plain
from tandem.kpis.sales import KpiScope
from tandem.quotas.services import set_quota
from tandem.sales.cockpit import forecast_kind, sales_cockpit
from tandem.sales.report import sales_report_json
from tandem.sales.tests.test_views import chart_data, client_for, won
from testsupport.api import token_client
from testsupport.builders import make_deal

pytestmark = pytest.mark.django_db

Q3 = Period.parse("2026Q3")


@pytest.fixture
def sales(org):
    won(org.alice, 1200, datetime.date(2026, 8, 3))
    won(org.alice, 300, datetime.date(2026, 9, 3))
    won(org.bob, 800, datetime.date(2026, 8, 4))
    make_deal(org.bob, stage_code="lost", closed_on=datetime.date(2026, 9, 1))
    make_deal(org.alice, stage_code="proposal", created_on=datetime.date(2026, 1, 2))  # stalled
    set_quota(
        acting_user=org.hanna, team=org.north, metric="won_value", period="2026Q3", target=4000
    )
    set_quota(
        acting_user=org.hanna, user=org.alice, metric="won_value", period="2026Q3", target=3000
    )
    return org


def printed(user, *options) -> dict:
    out = StringIO()
    call_command(
        "kpis", "--period", Q3.code, "--format", "json", "--user", user.username, *options,
        stdout=out,
    )  # fmt: skip
    return json.loads(out.getvalue())


@pytest.mark.parametrize(("who", "team"), [("hanna", None), ("mona", None), ("hanna", "north")])
def test_page_api_and_command_show_the_builders_figures(sales, who, team):
    user = getattr(sales, who)
    chosen = getattr(sales, team) if team else None
    figures = sales_cockpit(KpiScope(user, Q3, chosen))
    expected = sales_report_json(figures)
    assert expected["company"]["won_value"] == float(figures.company.won_value)

    query = f"period={Q3.code}" + (f"&team={chosen.pk}" if chosen else "")
    page = client_for(user).get(f"/sales/?{query}")
    assert page.status_code == 200
    assert page.context["kpis"] == figures.company
    assert [step.reached for step in page.context["funnel"]] == [
        step.reached for step in figures.funnel
    ]
    assert page.context["channels"] == figures.channels
    assert page.context["dwell"] == figures.time_in_stage
    assert page.context["stalled_total"] == figures.stalled_total
    shown = {row.key: row for row in page.context["reps"]}
    for rep in figures.reps:
        if rep.key in shown:
            assert shown[rep.key].figures() == rep.figures()
            assert shown[rep.key].flags == rep.flags
    html = page.content.decode()
    won_tile = html.split('data-kpi="won_value"')[1].split("</div></div>")[0]
    assert f"{int(figures.company.won_value):,}" in won_tile

    answered = token_client(user).get(f"/api/kpis/sales?{query}")
    assert answered.status_code == 200
    assert answered.json() == expected

    options = ["--team", chosen.name] if chosen else []
    assert printed(user, *options) == expected


def test_the_json_is_made_from_the_typed_result(sales):
    figures = sales_cockpit(KpiScope(sales.hanna, Q3))
    report = sales_report_json(figures)
    assert report["company"] == plain(
        {
            **figures.company.figures(),
            "won_value_in_quota": figures.company.won_value_in_quota,
            "won_value_outside_quota": figures.company.won_value_outside_quota,
        }
    )
    assert [row["team"] for row in report["teams"]] == [
        row.obj.name if row.obj else None for row in figures.teams
    ]
    assert report["reps"][0] == plain(
        {
            "rep": figures.reps[0].obj.username,
            "name": str(figures.reps[0].obj),
            "team": figures.reps[0].obj.team.name,
            **figures.reps[0].figures(),
        }
    )
    assert report["stalled_deals"]["count"] == figures.stalled_total == 1


def test_the_forecast_against_quota_has_gap_and_attainment(sales):
    today = timezone.localdate()
    this = Period.containing(today)
    set_quota(
        acting_user=sales.hanna, team=sales.north, metric="won_value", period=this.code,
        target=5000,
    )  # fmt: skip
    scope = KpiScope(sales.mona, this, sales.north)
    assert sales_cockpit(scope, forecast=True).forecast is None  # not learned: never here
    learn_for(sales.mona, forecast_kind(scope), today, sales.north.pk)  # the job's work
    figures = sales_cockpit(scope, forecast=True)
    assert figures.forecast.kept.up_to_date
    now, following = figures.forecast.rows
    assert now.quota == Decimal(5000)
    assert now.gap == pytest.approx(5000 - now.forecast)
    assert now.attainment == pytest.approx(now.forecast / 5000)
    assert following.quota is None and following.gap is None and following.attainment is None

    panel = client_for(sales.mona).get(
        f"/sales/forecast-ahead/?period={this.code}&team={sales.north.pk}"
    )
    assert panel.context["ahead"] == figures.forecast.rows
    assert chart_data(panel, "forecast-data")["quota"] == [5000.0, None]

    # the command's table shows them too (the JSON keeps its keys)
    out = StringIO()
    call_command(
        "kpis", "--period", this.code, "--team", sales.north.name, "--user", sales.mona.username,
        stdout=out,
    )  # fmt: skip
    table = out.getvalue().split("Forecast against quota")[1].splitlines()
    assert table[1].split() == ["closed", "forecast", "low", "high", "quota", "gap", "attainment"]
    cells = table[2].split()
    assert cells[0] == this.code
    assert float(cells[6]) == pytest.approx(now.gap, abs=0.01)
    assert float(cells[7]) == pytest.approx(now.attainment, abs=0.001)


def test_the_cockpits_chart_data_stays_machine_readable_in_german(sales):
    page = client_for(sales.hanna, "de").get(f"/sales/?period={Q3.code}")
    html = page.content.decode()
    assert "2.300" in html  # the won value in German
    data = chart_data(page)
    assert data["attainment"]["won"] == [1500.0, 800.0]
    assert all(isinstance(value, float) for value in data["attainment"]["won"])
