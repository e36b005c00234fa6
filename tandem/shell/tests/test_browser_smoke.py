import pytest

from testsupport.browser import log_in

pytestmark = pytest.mark.browser


def test_a_rep_logs_in_and_sees_the_overview(page, org):
    log_in(page, "alice")
    assert page.locator("h1").inner_text() == "Overview"
