"""The KAM cockpit in a real browser: tiles, charts, sparklines, the period picker, the KAM
picker of the Head of Sales, the concentration page, German."""

from decimal import Decimal

import pytest
from django.utils import timezone

from tandem.accounts.models import Tier
from tandem.users.models import Role
from testsupport.browser import log_in
from testsupport.builders import Org, make_account, make_product, make_revenue_line, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def portfolios(page):
    org = Org()
    org.karl = make_user("karl", Role.KEY_ACCOUNT_MANAGER, last_name="Zander")
    product = make_product("WIDGET")
    year = timezone.localdate().year
    for owner, name, amounts in [
        (org.kim, "Big Customer AG", {year - 2: 300, year - 1: 400, year: 600}),
        (org.kim, "Small Customer GmbH", {year - 1: 100, year: 200}),
        (org.karl, "Karl's Customer", {year: 1000}),
    ]:
        account = make_account(owner, name=name, tier=Tier.KEY_ACCOUNT)
        for y, amount in amounts.items():
            make_revenue_line(
                account, product, invoiced_on=timezone.localdate().replace(year=y, month=1, day=1),
                amount=Decimal(amount),
            )  # fmt: skip
    return org


def test_a_kam_sees_their_cockpit_with_charts(page, portfolios):
    log_in(page, "kim")
    page.goto("/kam/")
    for chart in ["kam-revenue-chart", "kam-pareto-chart"]:
        page.wait_for_selector(f"#{chart}[data-rendered=true] canvas")
    assert page.inner_text("[data-kpi=revenue] .stat-value") == "800"
    assert page.locator("#portfolio tbody tr").count() == 2
    assert page.locator(".sparkline[data-rendered=true]").count() == 2
    assert "Losing Big Customer AG removes 75 % of this revenue." in page.inner_text("#losses")
    assert page.locator("#id_kam").count() == 0

    year = timezone.localdate().year
    page.fill("#id_period", str(year - 1))
    page.click("#period-picker button[type=submit]")
    page.wait_for_url(f"**/kam/?period={year - 1}*")
    assert page.inner_text("[data-kpi=revenue] .stat-value") == "500"

    page.click(".section-nav a:has-text('Concentration')")
    page.wait_for_selector("#kam-lorenz-chart[data-rendered=true] canvas")
    assert page.locator("#shares tbody tr").count() == 2


def test_head_of_sales_compares_kams_and_picks_one_in_german(page, portfolios):
    log_in(page, "hanna")
    page.goto("/kam/")
    page.click("button[data-language=de]")
    page.wait_for_selector("h1:has-text('KAM-Cockpit')")
    page.wait_for_selector("#kam-kams-chart[data-rendered=true] canvas")
    assert page.locator("#kams tbody tr").count() == 2
    assert page.inner_text("[data-kpi=revenue] .stat-value") == "1.800"
    page.select_option("#id_kam", label=str(portfolios.karl))
    page.click("#period-picker button[type=submit]")
    page.wait_for_url(f"**kam={portfolios.karl.pk}*")
    assert page.locator("#portfolio tbody tr").count() == 1
    assert page.locator("#kams").count() == 0
