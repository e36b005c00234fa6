"""The feed in real Chromium: a KAM shares an insight tagged with a sector, a rep whose
account is in that sector reads it; the KAM edits and deletes it."""

import pytest

from testsupport.browser import log_in

pytestmark = pytest.mark.browser


def test_kam_posts_and_rep_reads(page, org, world):
    log_in(page, "kim")
    page.goto("/insights/")
    page.click("#new-post summary")
    page.fill("input[name=title]", "Retailers freeze budgets")
    page.fill("textarea[name=body]", "Offer a pilot instead.")
    page.select_option("select[name=sectors]", label="Retail")
    page.click("[data-action=post]")
    post = page.locator("article[data-kind=insight]")
    assert "Retailers freeze budgets" in post.inner_text()
    assert "Retail" in post.locator("[data-tag=sector]").inner_text()
    page.click("[data-action=logout]")

    log_in(page, "alice")
    page.goto("/insights/")
    assert "Retailers freeze budgets" in page.locator("#posts").inner_text()
    assert page.locator("#new-post").count() == 0
    page.click("[data-action=logout]")

    log_in(page, "bob")  # bob's account is in energy: not for him
    page.goto("/insights/")
    assert "Retailers freeze budgets" not in page.locator("#posts").inner_text()
    page.click("[data-action=logout]")

    log_in(page, "kim")
    page.goto("/insights/")
    page.click("[data-action=edit]")
    page.fill("input[name=title]", "Retailers freeze analytics budgets")
    page.click("[data-action=save]")
    assert "Retailers freeze analytics budgets" in page.locator("#posts").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action=delete]")
    page.wait_for_selector("#no-posts")
