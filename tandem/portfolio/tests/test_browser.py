"""The whitespace page in real Chromium: the heat-map is drawn, the table shows the amounts,
a candidate leads to the account's page with its reason."""

import pytest

from tandem.portfolio.tests.conftest import buy
from testsupport.browser import log_in
from testsupport.builders import make_account

pytestmark = pytest.mark.browser


def test_kam_sees_the_heat_map_and_a_candidate(page, org, portfolio, catalog):
    for index in range(3):
        peer = make_account(org.bob, name=f"Peer {index}")
        buy(peer, catalog["B"], 100)
        buy(peer, catalog["D"], 1200)
    log_in(page, "kim")
    page.goto("/key-accounts/whitespace/?months=12&end=2026-05-20")
    page.wait_for_selector("#heatmap-chart[data-rendered=true]")
    assert page.locator("#heatmap-chart canvas").count() >= 1
    row = page.locator(f"tr[data-account='{portfolio['k1'].pk}']")
    assert "1,500" in row.locator("td[data-product=A]").inner_text()
    candidate = page.locator(f"tr[data-candidate='{portfolio['k2'].pk}-D']")
    assert "bought by 3 of the" in candidate.inner_text()
    candidate.locator("a").click()
    page.wait_for_url(f"**/whitespace/accounts/{portfolio['k2'].pk}/*")
    assert "Product D" in page.locator("#candidates").inner_text()
