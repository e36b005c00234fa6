"""Logging an activity in real Chromium: choosing the account loads its contacts."""

import pytest

from tandem.activities.models import Activity
from testsupport.browser import log_in
from testsupport.builders import make_account, make_contact

pytestmark = pytest.mark.browser


def test_choosing_an_account_offers_its_contacts_and_errors_show_inline(page, org):
    first = make_account(org.alice, "Alpha GmbH")
    second = make_account(org.alice, "Beta AG")
    make_contact(first, first_name="Anna", last_name="Alpha")
    make_contact(second, first_name="Bernd", last_name="Beta")
    make_contact(make_account(org.bob, "Hidden KG"), first_name="Hugo", last_name="Hidden")
    log_in(page, "alice")
    page.goto("/activities/new/")
    contacts = page.locator("#id_contacts label")
    assert contacts.count() == 0
    page.select_option("select[name=account]", str(second.pk))
    page.wait_for_selector("#id_contacts label")
    assert contacts.all_inner_texts() == ["Bernd Beta"]
    page.check("#id_contacts input[type=checkbox]")
    page.select_option("select[name=kind]", "call")
    page.click("#activity-form button[type=submit]")
    assert page.locator("[data-field=subject] .errorlist").inner_text() == "Enter a short subject."
    page.fill("input[name=subject]", "Follow-up on the offer")
    page.click("#activity-form button[type=submit]")
    page.wait_for_url(f"**/accounts/{second.pk}/")
    activity = Activity.objects.get()
    assert activity.account == second
    assert [str(contact) for contact in activity.contacts.all()] == ["Bernd Beta"]
    assert "Follow-up on the offer" in page.locator("#activities").inner_text()
