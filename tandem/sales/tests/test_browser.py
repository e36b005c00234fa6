"""The cockpit in a real browser: the charts draw, the period picker works, German."""

import datetime
from decimal import Decimal

import pytest

from tandem.quotas.services import set_quota
from testsupport.browser import log_in
from testsupport.builders import Org, make_account, make_deal

pytestmark = pytest.mark.browser


@pytest.fixture
def org_with_sales(page):
    org = Org()
    for owner, value, month in [(org.alice, 1500, 8), (org.bob, 700, 9), (org.alice, 300, 4)]:
        make_deal(
            owner, make_account(owner), stage_code="won", value=Decimal(value),
            created_on=datetime.date(2026, month, 1), closed_on=datetime.date(2026, month, 20),
        )  # fmt: skip
    set_quota(
        acting_user=org.hanna, team=org.north, metric="won_value", period="2026Q3", target=3000
    )
    return org


def test_head_of_sales_picks_a_period_and_sees_the_charts(page, org_with_sales):
    log_in(page, "hanna")
    page.goto("/sales/?period=2026Q3")
    assert "Not learned yet." in page.inner_text("#forecast-quota")
    page.click("#forecast-quota [data-action=learn]")  # the panel asks for it, then shows it
    page.wait_for_selector("#forecast-learned[data-state=up-to-date]")
    for chart in ["attainment-chart", "funnel-chart", "reps-chart", "forecast-chart"]:
        page.wait_for_selector(f"#{chart}[data-rendered=true] canvas")
    assert page.inner_text("[data-kpi=won_value] .stat-value") == "2,200"
    assert page.locator("#teams tbody tr").count() == 2
    assert page.locator("#forecast-quota tbody tr").count() == 2  # this period and the next

    page.fill("#id_period", "2026Q2")
    page.click("#period-picker button[type=submit]")
    page.wait_for_url("**/sales/?period=2026Q2*")
    assert page.inner_text("[data-kpi=won_value] .stat-value") == "300"
    page.click("[data-period-link=next]")
    page.wait_for_url("**period=2026Q3*")
    assert page.inner_text("[data-kpi=deals_won] .stat-value") == "2"


def test_the_cockpit_in_german(page, org_with_sales):
    log_in(page, "mona")
    page.goto("/sales/?period=2026Q3")
    page.click("button[data-language=de]")
    page.wait_for_selector("h1:has-text('Vertriebscockpit')")
    assert "Zielerreichung" in page.inner_text("#attainment h2")
    assert page.inner_text("[data-kpi=won_value] .stat-value") == "1.500"
    page.wait_for_selector("#funnel-chart[data-rendered=true] canvas")


def test_a_rep_sees_their_scorecard(page, org_with_sales):
    log_in(page, "bob")
    page.goto("/sales/?period=2026Q3")
    page.wait_for_selector("h1:has-text('My scorecard')")
    assert page.inner_text("[data-kpi=won_value] .stat-value") == "700"
    assert page.locator("#reps").count() == 0


def test_the_rep_table_fits_a_1440_pixel_screen(page, org_with_sales):
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, "hanna")
    page.goto("/sales/?period=2026Q3")
    page.wait_for_selector("#reps table")
    fits = page.evaluate(
        """() => {
            const table = document.querySelector('#reps table');
            const card = document.querySelector('#reps');
            return [table.getBoundingClientRect().right, card.getBoundingClientRect().right,
                    document.documentElement.scrollWidth];
        }"""
    )
    table_right, card_right, page_width = fits
    assert table_right <= card_right + 1 and page_width <= 1440


def test_a_forecast_panel_that_cannot_load_says_so(page, org_with_sales):
    """The day's forecast is not kept; when asking for it fails (here: the connection is cut,
    as when a server times out) the panel says so."""
    page.route("**/sales/forecast-ahead/**", lambda route: route.abort())
    log_in(page, "hanna")
    page.goto("/sales/?period=2026Q3")
    page.click("#forecast-quota [data-action=learn]")
    status = page.locator("#forecast-quota [role=status]")
    status.filter(has_text="could not be learned").wait_for()
    assert "working" not in (status.get_attribute("class") or "")
    assert page.inner_text("[data-kpi=won_value] .stat-value") == "2,200"  # the rest is there


def test_the_head_of_a_large_company_searches_a_team(page, org_with_sales, monkeypatch):
    monkeypatch.setattr("tandem.sales.views.TEAM_PICKER_LIMIT", 1)
    log_in(page, "hanna")
    page.goto("/sales/?period=2026Q3")
    page.fill("#id_team_name", "nor")
    page.wait_for_selector("#team-names option[value='North']", state="attached")
    assert page.locator("#team-names option").count() == 1
    page.fill("#id_team_name", "North")
    page.click("#period-picker button[type=submit]")
    page.wait_for_selector("h1:has-text('North')")
    assert page.input_value("#id_team_name") == "North"
