"""The shell in real Chromium: each role's navigation, switching language and logging out."""

import pytest

from tandem.shell.tests.test_shell import EXPECTED_NAV
from testsupport.browser import log_in

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
    assert page.locator("nav.mainnav summary.current").inner_text() == "Kunden"
    assert page.locator("[data-nav='accounts:contact_list']").text_content() == "Kontakte"
    assert page.locator("[data-action=logout]").inner_text() == "Abmelden"
    page.screenshot(path="/tmp/webacc/accounts-de.png", full_page=True)
    page.click("[data-language=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("h1").inner_text() == "Accounts"


def test_menus_open_one_at_a_time_and_close_with_escape(page, org):
    log_in(page, "hanna")
    sales = page.locator("nav.mainnav details:has(summary:has-text('Sales'))")
    people = page.locator("nav.mainnav details:has(summary:has-text('People'))")
    sales.locator("summary").click()
    assert sales.locator("[data-nav='sales:cockpit']").is_visible()
    people.locator("summary").click()
    assert people.locator("[data-nav='people:overview']").is_visible()
    assert not sales.locator("[data-nav='sales:cockpit']").is_visible()
    page.keyboard.press("Escape")
    assert not people.locator("[data-nav='people:overview']").is_visible()
    sales.locator("summary").click()
    sales.locator("[data-nav='sales:cockpit']").click()
    page.wait_for_url("**/sales/")
    assert page.locator("nav.mainnav summary.current").inner_text() == "Sales"
    page.set_viewport_size({"width": 1024, "height": 800})
    nav_box = page.locator("nav.mainnav").bounding_box()
    session_box = page.locator(".session").bounding_box()
    assert nav_box["x"] + nav_box["width"] <= session_box["x"] + 1  # no overlap, no scrolling


def test_logout_from_the_header(page, org):
    log_in(page, "alice")
    page.screenshot(path="/tmp/webacc/home.png", full_page=True)
    page.click("[data-action=logout]")
    page.wait_for_url("**/login/")
    assert page.locator("#login-form").is_visible()
    page.screenshot(path="/tmp/webacc/login.png")
