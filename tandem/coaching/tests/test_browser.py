"""Coaching in real Chromium: the manager opens a rep from the overview, sees the scorecard
chart and writes a note; the rep sees it on their own page."""

import pytest

from testsupport.browser import log_in

pytestmark = pytest.mark.browser


def test_manager_writes_a_note_the_rep_reads_it(page, org, carl, q1_deals, goal):
    log_in(page, "mona")
    page.goto("/coaching/?period=2026Q1")
    page.wait_for_selector("#team-chart[data-rendered=true]")
    page.locator(f"tr[data-rep='{org.alice.pk}'] a").click()
    page.wait_for_url(f"**/coaching/{org.alice.pk}/**")
    page.wait_for_selector("#scorecard-chart[data-rendered=true]")
    assert "average deal size well below the team" in page.locator("#flags").inner_text()
    page.fill("textarea[name=text]", "Bundle smaller deals into one offer.")
    page.select_option("select[name=goal]", str(goal.pk))
    page.click("#note-form button[type=submit]")
    assert "Bundle smaller deals" in page.locator("#notes").inner_text()
    page.click("[data-action=logout]")

    log_in(page, "alice")
    page.goto("/coaching/")
    page.click("#my-coaching")
    assert "Bundle smaller deals" in page.locator("#notes").inner_text()
    assert goal.title in page.locator("#goals").inner_text()
