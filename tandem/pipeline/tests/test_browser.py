"""The board in a real Chromium: drag a card with the mouse, see the move kept and recorded."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tandem.pipeline.models import StageChange
from testsupport.browser import log_in
from testsupport.builders import make_account, make_deal

pytestmark = pytest.mark.browser

SHOTS = "/tmp/webpipe"


def drag(page, card_selector: str, column_code: str) -> None:
    """Drag like a person: press on the card, move in small steps, release over the column."""
    card = page.locator(card_selector).bounding_box()
    target = page.locator(f"ol.board-cards[data-stage='{column_code}']").bounding_box()
    page.mouse.move(card["x"] + card["width"] / 2, card["y"] + 12)
    page.mouse.down()
    page.mouse.move(card["x"] + card["width"] / 2 + 10, card["y"] + 20, steps=5)
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 30, steps=25)
    page.mouse.up()


@pytest.fixture
def deals(org):
    account = make_account(org.alice, "Hansa Logistik GmbH")
    return {
        "moving": make_deal(org.alice, name="Conveyor line", account=account, value=Decimal(4200)),
        "staying": make_deal(org.alice, name="Spare parts", account=account, value=Decimal(800)),
        "other": make_deal(org.alice, name="Service", account=account, stage_code="proposal"),
    }


def test_drag_a_card_to_another_column_and_see_it_in_the_history(page, org, deals):
    deal = deals["moving"]
    log_in(page, "alice")
    page.goto("/deals/board/")
    expect(page.locator("#column-head-prospecting .count")).to_have_text("2 deals")
    page.screenshot(path=f"{SHOTS}/board-before.png", full_page=True)

    with page.expect_response(lambda r: r.url.endswith(f"/deals/{deal.pk}/move/")) as answer:
        drag(page, f"#deal-card-{deal.pk}", "proposal")
    assert answer.value.status == 200
    expect(page.locator("#column-head-proposal .count")).to_have_text("2 deals")
    expect(page.locator("#column-head-prospecting .count")).to_have_text("1 deal")
    expect(page.locator("#board-message")).to_contain_text("moved to Proposal")
    page.screenshot(path=f"{SHOTS}/board-after-drag.png", full_page=True)

    page.reload()
    expect(page.locator(f"ol[data-stage='proposal'] #deal-card-{deal.pk}")).to_be_visible()
    change = StageChange.objects.get(deal=deal)
    assert (change.to_stage.code, change.changed_by) == ("proposal", org.alice)

    page.click(f"#deal-card-{deal.pk} .deal-card-name")
    page.wait_for_url(f"**/deals/{deal.pk}/")
    row = page.locator("#stage-history tbody tr").last
    expect(row).to_contain_text("Prospecting")
    expect(row).to_contain_text("Proposal")
    expect(row).to_contain_text("Alice Test")
    page.screenshot(path=f"{SHOTS}/deal-detail.png", full_page=True)


def test_drop_on_lost_asks_for_a_reason(page, org, deals):
    deal = deals["moving"]
    log_in(page, "alice")
    page.goto("/deals/board/")
    drag(page, f"#deal-card-{deal.pk}", "lost")
    dialog = page.locator("#lost-dialog")
    expect(dialog).to_be_visible()
    page.fill("#lost-reason-input", "Chose a cheaper competitor")
    page.screenshot(path=f"{SHOTS}/board-lost-dialog.png")
    with page.expect_response(lambda r: "/move/" in r.url):
        page.click("#lost-confirm")
    expect(page.locator("#column-head-lost .count")).to_have_text("1 deal")
    deal.refresh_from_db()
    assert (deal.stage.code, deal.lost_reason) == ("lost", "Chose a cheaper competitor")


def test_cancelling_the_lost_reason_puts_the_card_back(page, org, deals):
    deal = deals["moving"]
    log_in(page, "alice")
    page.goto("/deals/board/")
    drag(page, f"#deal-card-{deal.pk}", "lost")
    expect(page.locator("#lost-dialog")).to_be_visible()
    page.click("#lost-dialog button[value=cancel]")
    expect(page.locator(f"ol[data-stage='prospecting'] #deal-card-{deal.pk}")).to_be_visible()
    expect(page.locator("#board-message")).to_contain_text("needs a reason")
    deal.refresh_from_db()
    assert deal.stage.code == "prospecting"


def test_a_refused_move_puts_the_card_back_and_says_why(page, org, deals):
    deal = deals["moving"]
    log_in(page, "alice")
    page.goto("/deals/board/")
    # The deal changes hands behind the board's back: the move is now refused with a 404.
    deal.owner = org.bob
    deal.save()
    drag(page, f"#deal-card-{deal.pk}", "negotiation")
    expect(page.locator("#board-message")).to_have_text(
        "This deal does not exist or you may not see it."
    )
    expect(page.locator(f"ol[data-stage='prospecting'] #deal-card-{deal.pk}")).to_be_visible()
    expect(page.locator("#column-head-negotiation .count")).to_have_text("0 deals")
    assert not StageChange.objects.filter(deal=deal).exists()


def test_move_with_the_keyboard_fallback(page, org, deals):
    deal = deals["staying"]
    log_in(page, "alice")
    page.goto("/deals/board/")
    card = page.locator(f"#deal-card-{deal.pk}")
    card.locator("summary").click()
    card.locator("select[name=stage]").select_option("won")
    card.locator("button[type=submit]").click()
    expect(page.locator(f"ol[data-stage='won'] #deal-card-{deal.pk}")).to_be_visible()
    expect(page.locator(".message.success")).to_contain_text("moved to Won")


def test_the_board_in_german(page, org, deals):
    deal = deals["moving"]
    log_in(page, "alice")
    page.goto("/deals/board/")
    page.click("button[data-language=de]")
    expect(page.locator("h1")).to_have_text("Pipeline-Board")
    expect(page.locator("#column-title-proposal")).to_have_text("Angebot")
    expect(page.locator("#column-head-prospecting .count")).to_have_text("2 Deals")
    with page.expect_response(lambda r: "/move/" in r.url):
        drag(page, f"#deal-card-{deal.pk}", "engaging")
    expect(page.locator("#board-message")).to_have_text(
        "„Conveyor line“ ist jetzt in der Phase Im Gespräch."
    )
    page.screenshot(path=f"{SHOTS}/board-de.png", full_page=True)


def test_search_the_deal_list_and_resolve_a_deal_without_account(page, org, deals):
    orphan = make_deal(org.alice, name="Imported GTX deal", account=None)
    log_in(page, "alice")
    page.goto("/deals/")
    expect(page.locator("#deal-table tbody tr")).to_have_count(4)
    page.check("input[name=without_account]")
    page.click("#deal-filters button[type=submit]")
    expect(page.locator("#deal-table tbody tr")).to_have_count(1)
    expect(page.locator("#deal-count")).to_contain_text("1 deal")
    page.screenshot(path=f"{SHOTS}/deal-list-without-account.png", full_page=True)
    page.click("text=Imported GTX deal")
    page.select_option("#assign-account-form select", label="Hansa Logistik GmbH")
    page.click("#assign-account-form button[type=submit]")
    expect(page.locator("#deal-account")).to_have_text("Hansa Logistik GmbH")
    orphan.refresh_from_db()
    assert orphan.account == deals["moving"].account


def test_the_deal_form_explains_a_negative_value(page, org, deals):
    log_in(page, "alice")
    page.goto("/deals/new/")
    page.fill("input[name=name]", "Negative")
    page.fill("input[name=value]", "-10")
    page.click("#deal-form button[type=submit]")
    expect(page.locator("[data-field=value] .errorlist")).to_have_text(
        "The value cannot be negative."
    )
    page.screenshot(path=f"{SHOTS}/deal-form-error.png", full_page=True)


def test_pick_an_account_by_typing_when_there_are_many(page, org, deals, monkeypatch):
    monkeypatch.setattr("tandem.pipeline.forms.ACCOUNT_SELECT_LIMIT", 1)
    make_account(org.alice, "Nordsee Fisch AG")
    log_in(page, "alice")
    page.goto("/deals/new/")
    page.fill("input[name=name]", "Cold storage")
    page.locator("input[name=account_search]").press_sequentially("nordsee", delay=30)
    expect(page.locator(".account-option")).to_have_count(1)
    page.screenshot(path=f"{SHOTS}/deal-form-suggestions.png")
    page.click(".account-option:has-text('Nordsee Fisch AG')")
    expect(page.locator("input[name=account_search]")).to_have_value("Nordsee Fisch AG")
    page.screenshot(path=f"{SHOTS}/deal-form-picker.png", full_page=True)
    page.click("#deal-form button[type=submit]")
    expect(page.locator("#deal-account")).to_have_text("Nordsee Fisch AG")


def test_winning_ones_own_big_deal_puts_the_card_back_until_approved(page, org, deals):
    """Separation of duties on the board: the move waits for a second person (tandem.approvals),
    so the card goes back and the rep is told why."""
    deal = deals["moving"]
    deal.value = Decimal(90000)
    deal.save()
    log_in(page, "alice")
    page.goto("/deals/board/")
    with page.expect_response(lambda r: r.url.endswith(f"/deals/{deal.pk}/move/")) as answer:
        drag(page, f"#deal-card-{deal.pk}", "won")
    assert answer.value.status == 202
    expect(page.locator("#board-message")).to_contain_text("waits for approval")
    expect(page.locator(f"ol[data-stage='prospecting'] #deal-card-{deal.pk}")).to_be_visible()
    assert not StageChange.objects.filter(deal=deal).exists()
