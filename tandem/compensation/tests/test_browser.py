"""The statement and the what-if in real Chromium: the figures, the curve charts, and a
recomputation with one open deal closed (nothing saved)."""

import datetime
from decimal import Decimal

import pytest

from tandem.compensation.tests.conftest import plan_for, quota, won
from tandem.pipeline.models import Deal, StageOutcome
from tandem.quotas.models import QuotaMetric
from testsupport.browser import log_in
from testsupport.builders import make_account, make_deal

pytestmark = pytest.mark.browser


def test_statement_and_what_if(page, org):
    plan_for(org)
    quota(org.alice, QuotaMetric.WON_VALUE, "100000")
    quota(org.alice, QuotaMetric.NEW_CUSTOMERS, "4")
    won(org.alice, "115000", datetime.date(2026, 2, 1))
    deal = make_deal(
        org.alice, make_account(org.alice), name="Fleet renewal", value=Decimal("20000")
    )

    log_in(page, "alice")
    page.goto("/pay/?period=2026Q1")
    assert "9,100.00" in page.locator("#my-payout [data-figure=payout]").inner_text()
    page.click("[data-action=my-statement]")
    page.wait_for_url("**/pay/people/*/?period=2026Q1")
    won_line = page.locator("tr[data-line=won_value]")
    assert won_line.locator("[data-cell=attainment]").inner_text() == "115.0 %"
    assert won_line.locator("[data-cell=amount]").inner_text() == "9,100.00"
    assert "above target" in page.locator("[data-sentence=won_value]").inner_text()
    page.wait_for_selector("#curve-0-won_value[data-rendered=true]")
    page.wait_for_selector("#curve-0-new_customers[data-rendered=true]")

    page.select_option("select[name=deal]", str(deal.pk))
    page.click("#what-if-form button[type=submit]")
    result = page.locator("[data-what-if]")
    result.wait_for()
    # 135 % → 1.7 × 7,000 = 11,900; 2 of 4 new customers = 50 % → 0.25 × 3,000 = 750
    assert "12,650.00" in result.locator("[data-figure=after]").inner_text()
    assert "9,100.00" in result.locator("[data-figure=before]").inner_text()
    assert "“Fleet renewal”" in result.inner_text()
    assert Deal.objects.get(pk=deal.pk).stage.outcome == StageOutcome.OPEN
    # still on the statement page: htmx swapped the result in
    assert "/what-if/" not in page.url


def test_statement_in_german(page, org):
    plan_for(org)
    quota(org.alice, QuotaMetric.WON_VALUE, "100000")
    won(org.alice, "80000", datetime.date(2026, 2, 1))
    log_in(page, "alice")
    page.goto(f"/pay/people/{org.alice.pk}/?period=2026Q1")
    page.click("button[data-language=de]")
    page.wait_for_selector("html[lang=de]")
    line = page.locator("tr[data-line=won_value]")
    # 80 % → 0.25 + 0.75 × 0.6 = 0.7 → 7,000 × 0.7 = 4,900
    assert line.locator("[data-cell=amount]").inner_text() == "4.900,00"
    assert "Kurve" in page.locator("[data-sentence=won_value]").inner_text()
