"""Hiring in real Chromium: a Sales Manager opens a position, adds and scores a candidate and
sees the comparison with its radar chart; the new member ticks an onboarding step."""

import datetime

import pytest

from tandem.hiring.services import create_onboarding_plan
from tandem.users.models import Role
from testsupport.browser import log_in
from testsupport.builders import make_user

pytestmark = pytest.mark.browser


def test_manager_opens_a_position_and_compares_candidates(page, org):
    log_in(page, "mona")
    page.goto("/hiring/")
    page.click("#new-position")
    page.fill("input[name=title]", "Key Account Manager North")
    page.select_option("select[name=team]", str(org.north.pk))
    page.select_option("select[name=profile]", label="Key Account Manager")
    # only the KAM ladder's steps are offered as levels
    offered = page.locator("select[name=step] option:not([disabled])").all_inner_texts()
    assert any("Senior account manager" in text for text in offered)
    assert not any("Team lead" in text for text in offered)
    page.click("#position-form button[type=submit]")
    page.wait_for_url("**/hiring/positions/*/")
    page.fill("#candidate-form input[name=name]", "Clara Weiss")
    page.click("#candidate-form button[type=submit]")
    page.wait_for_url("**/hiring/candidates/*/")
    page.select_option("select[name=score_negotiation]", "4")
    page.select_option("select[name=score_relationships]", "5")
    page.fill("input[name=note_negotiation]", "Calm under pressure")
    page.click("#scores-form button[type=submit]")
    assert "Calm under pressure" in page.locator("#all-scores").inner_text()
    page.click(".breadcrumbs a >> nth=1")
    row = page.locator("#comparison-table tr[data-competency=negotiation]")
    assert "4.0" in row.inner_text()
    page.wait_for_selector("#radar-chart[data-rendered=true]")
    assert page.locator("#radar-chart canvas").count() == 1


def test_new_member_ticks_an_onboarding_step(page, org):
    carl = make_user("carl", Role.SALES_REP, org.north)
    plan = create_onboarding_plan(carl, acting_user=org.mona, starts_on=datetime.date(2020, 1, 6))
    log_in(page, "carl")
    page.goto("/hiring/")
    page.click("#own-plan a")
    page.wait_for_url(f"**/hiring/onboarding/{plan.pk}/")
    before = page.locator("[data-fact=overdue] .stat-value").inner_text()
    page.locator("[data-action=done]").first.click()
    page.wait_for_selector("tr[data-done='1']")
    after = page.locator("[data-fact=overdue] .stat-value").inner_text()
    assert int(after) == int(before) - 1
