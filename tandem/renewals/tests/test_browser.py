"""Upcoming renewals in real Chromium: the KAM sees the risk and its signals, switches the
horizon, records an expansion, and the renewal leaves the list."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tandem.accounts.models import Contract
from testsupport.browser import log_in
from testsupport.builders import make_account, make_contract

pytestmark = pytest.mark.browser
D = datetime.timedelta


def test_kam_reviews_and_records_an_outcome(page, org):
    today = timezone.localdate()
    soon = make_contract(
        make_account(org.kim, name="Nordwind Logistik"),
        name="Fleet platform",
        start_on=today - D(days=300),
        end_on=today + D(days=45),
        annual_value=Decimal("120000"),
    )
    make_contract(
        make_account(org.kim, name="Südhafen AG"),
        start_on=today - D(days=200),
        end_on=today + D(days=150),
    )

    log_in(page, "kim")
    page.goto("/key-accounts/renewals/")
    row = page.locator(f"tr[data-contract='{soon.pk}']")
    assert "No champion at the account." in row.inner_text()
    assert int(row.locator("[data-score]").get_attribute("data-score")) > 0
    page.wait_for_selector("#renewals-chart[data-rendered=true]")
    page.click("[data-within='90']")
    page.wait_for_url("**within_days=90**")
    assert page.locator("tr[data-contract]").count() == 1

    row.locator("[data-action=outcome]").click()
    page.check("input[name=outcome][value=expanded]")
    page.fill("input[name=new_annual_value]", "100000")
    page.click("#outcome-form button[type=submit]")
    assert "higher annual value" in page.locator("#outcome-form").inner_text()
    page.fill("input[name=new_annual_value]", "150000")
    page.click("#outcome-form button[type=submit]")
    page.wait_for_url("**/key-accounts/renewals/")
    assert page.locator(f"tr[data-contract='{soon.pk}']").count() == 0
    assert Contract.objects.get(renewal_of=soon).annual_value == Decimal("150000")

    page.goto("/key-accounts/renewals/rates/")
    page.wait_for_selector("#trend-chart[data-rendered=true]")
