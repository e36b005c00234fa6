"""The handover in real Chromium: a Sales Manager proposes, the KAM accepts, the account shows
its new owner."""

import pytest

from tandem.keyaccounts.services import evaluate_and_store, propose_handover, submit_handover
from tandem.keyaccounts.tests.conftest import complete_texts
from testsupport.browser import log_in
from testsupport.builders import make_account, make_contact, make_deal

pytestmark = pytest.mark.browser


def test_manager_proposes_and_kam_accepts(page, org):
    account = make_account(org.alice, name="Nordwind Logistik", is_strategic=True)
    make_contact(account, first_name="Greta", last_name="Berg", hierarchy_level="c_level")
    make_deal(org.alice, account, name="Fleet 2027")
    evaluate_and_store()  # the day's work: the candidates list reads it

    log_in(page, "mona")
    page.goto("/key-accounts/")
    row = page.locator(f"tr[data-candidate='{account.pk}']")
    assert "marked as strategic" in row.inner_text()
    row.locator("[data-action=propose]").click()
    page.select_option("select[name=to_kam]", str(org.kim.pk))
    page.click("#propose-form button[type=submit]")
    page.wait_for_url("**/key-accounts/handovers/*/")
    assert "Greta Berg" in page.locator("#stakeholders").inner_text()
    assert "Fleet 2027" in page.locator("#open-deals").inner_text()
    # submitting with the risks missing is refused, naming what is missing
    texts = complete_texts()
    page.fill("textarea[name=customer_needs]", texts["customer_needs"])
    page.fill("textarea[name=commitments]", texts["commitments"])
    page.click("[data-action=submit]")
    assert "Missing: risks" in page.locator(".form-errors").inner_text()
    page.fill("textarea[name=risks]", texts["risks"])
    page.click("[data-action=submit]")
    assert page.locator("[data-status]").get_attribute("data-status") == "submitted"
    page.click("[data-action=logout]")

    log_in(page, "kim")
    page.goto("/key-accounts/handovers/")
    page.locator("#to-decide a", has_text="Nordwind Logistik").click()
    assert texts["risks"] in page.locator("[data-fact=risks]").inner_text()
    page.click("[data-action=accept]")
    assert page.locator("[data-status]").get_attribute("data-status") == "accepted"
    page.goto(f"/accounts/{account.pk}/")
    assert page.locator("[data-fact=owner]").inner_text() == str(org.kim)
    assert page.locator("[data-tier]").get_attribute("data-tier") == "key"


def test_the_handover_list_filters_by_status_in_place(page, org):
    proposed = propose_handover(
        make_account(org.alice, name="Alpha"), org.kim, acting_user=org.alice
    )
    submitted = propose_handover(
        make_account(org.alice, name="Beta"), org.kim, acting_user=org.alice
    )
    submit_handover(submitted, acting_user=org.alice, **complete_texts())

    log_in(page, "mona")
    page.goto("/key-accounts/handovers/")
    listed = page.locator("#handover-results tr[data-handover]")
    assert listed.count() == 2
    page.select_option("#handover-filters select[name=status]", "submitted")
    page.wait_for_url("**status=submitted**")
    page.locator(f"#handover-results tr[data-handover='{proposed.pk}']").wait_for(state="detached")
    assert listed.count() == 1
    assert page.locator(f"#handover-results tr[data-handover='{submitted.pk}']").count() == 1
    assert "1 handover" in page.locator("#handover-results .result-count").inner_text()
