"""The shell in real Chromium: each role's navigation, switching language and logging out."""

import pytest

from tandem.conftest import log_in
from tandem.core.tests.test_shell import EXPECTED_NAV

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("username", ["alice", "mona", "kim", "hanna", "otto"])
def test_each_role_sees_its_navigation(page, org, username):
    log_in(page, username)
    shown = set(page.locator("[data-nav]").evaluate_all("els => els.map(e => e.dataset.nav)"))
    assert shown == EXPECTED_NAV[username]
    assert page.locator(".who-role").inner_text() == getattr(org, username).get_role_display()


def test_switch_to_german_and_back_on_the_same_page(page, org):
    log_in(page, "alice")
    page.goto("/accounts/")
    page.click("[data-language=de]")
    page.wait_for_selector("html[lang=de]")
    assert page.url.endswith("/accounts/")
    assert page.locator("h1").inner_text() == "Kunden"
    assert page.locator("[data-nav='accounts:contact_list']").inner_text() == "Kontakte"
    assert page.locator("[data-action=logout]").inner_text() == "Abmelden"
    page.screenshot(path="/tmp/webacc/accounts-de.png", full_page=True)
    page.click("[data-language=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("h1").inner_text() == "Accounts"


def test_logout_from_the_header(page, org):
    log_in(page, "alice")
    page.screenshot(path="/tmp/webacc/home.png", full_page=True)
    page.click("[data-action=logout]")
    page.wait_for_url("**/login/")
    assert page.locator("#login-form").is_visible()
    page.screenshot(path="/tmp/webacc/login.png")
