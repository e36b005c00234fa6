"""Account plans in real Chromium: the KAM finds the key account without a plan, creates it,
adds an action inline, moves it to blocked and back, and opens the QBR pack."""

import datetime

import pytest
from django.conf import settings

from tandem.accountplans.models import AccountPlan
from tandem.accounts.models import Account
from testsupport.browser import htmx_settled, log_in

pytestmark = pytest.mark.browser


def test_kam_creates_a_plan_and_works_its_actions(page, org, key_account):
    year = datetime.date.today().year  # noqa: DTZ011 — the live server's "this year"
    log_in(page, "kim")
    page.goto("/key-accounts/plans/?show=missing")
    row = page.locator(f"tr[data-missing='{key_account.pk}']")
    assert "Hafenwerk Nord" in row.inner_text()
    row.locator("[data-action=create]").click()
    page.fill("textarea[name=objectives]", "Win the framework agreement.")
    page.fill("input[name=growth_target_percent]", "15")
    page.select_option("select[name=whitespace]", label="Sensor S1")
    page.fill("textarea[name=review_dates]", f"{year}-06-30, {year}-12-15")
    page.click("#plan-form button[type=submit]")
    page.wait_for_url("**/key-accounts/plans/*/")
    assert "15.0 %" in page.locator("[data-fact=growth]").inner_text()
    assert "Sensor S1" in page.locator("[data-fact=whitespace]").inner_text()

    # add an action inline (htmx swaps the actions card; no page load)
    page.fill("#action-form input[name=title]", "Joint roadmap workshop")
    page.select_option("#action-form select[name=function]", "product")
    page.select_option("#action-form select[name=owner]", str(org.alice.pk))
    page.fill("#action-form input[name=due_on]", f"{year}-11-30")
    page.click("[data-action=add-action]")
    action_row = page.locator("tr[data-action-row]", has_text="Joint roadmap workshop")
    action_row.wait_for()
    htmx_settled(page)
    plan = AccountPlan.objects.get(account=key_account, year=year)
    action = plan.actions.get()
    assert action.owner == org.alice

    # blocked without a note is refused in the row; with a note it is saved
    row = page.locator(f"#action-{action.pk}")
    row.locator("select[name=status]").select_option("blocked")
    page.locator(f"#action-{action.pk} [data-row-error]").wait_for()
    htmx_settled(page)
    assert "Say what blocks this action." in page.locator(f"#action-{action.pk}").inner_text()
    page.locator(f"#action-{action.pk} input[name=note]").fill("Waiting for their IT")
    page.locator(f"#action-{action.pk} select[name=status]").select_option("blocked")
    page.wait_for_selector(f"#action-{action.pk}[data-status=blocked]")
    action.refresh_from_db()
    assert (action.status, action.note) == ("blocked", "Waiting for their IT")

    # the QBR pack of the first quarter, with its chart
    page.click(f"[data-qbr='{year}Q1']")
    page.wait_for_selector("svg[data-chart=revenue-trend]")
    assert page.locator("svg[data-chart=revenue-trend] rect").count() == 8
    assert "Joint roadmap workshop" in page.locator("#qbr-actions").inner_text()
    assert "Greta Berg" in page.locator("#qbr-stakeholders").inner_text()
    page.select_option("#period-select", f"{year - 1}Q4")
    page.wait_for_url(f"**period={year - 1}Q4")
    assert f"Q4 {year - 1}" in page.locator("h1").inner_text()

    # the list draws each plan's actions by status
    page.goto("/key-accounts/plans/")
    page.wait_for_selector("#actions-chart[data-rendered=true]")


MARKUP = '<img src=x onerror="window.injected = 1">Hafenwerk'


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_name_in_the_chart_s_tooltip_is_text_not_markup(page, live_server, org, plan, language):
    """A rep who renames an account to markup before its handover runs nothing in the KAM's
    browser: the plan chart's tooltip shows the name as it was typed."""
    Account.objects.filter(pk=plan.account_id).update(name=MARKUP)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    log_in(page, "kim")
    page.goto(f"/key-accounts/plans/?year={plan.year}")
    page.wait_for_selector("#actions-chart[data-rendered=true]")
    page.evaluate(
        """() => echarts.getInstanceByDom(document.getElementById("actions-chart"))
                  .dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 0})"""
    )
    page.wait_for_function(
        """(name) => [...document.querySelectorAll("#actions-chart div")]
                     .some((div) => div.textContent.includes(name))""",
        arg=MARKUP,
    )
    assert page.locator("#actions-chart img").count() == 0
    assert page.evaluate("() => window.injected") is None
