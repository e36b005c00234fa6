"""Accounts and contacts in real Chromium: live search, the revenue chart, a contact form."""

import datetime
from decimal import Decimal

import pytest

from tandem.accounts.models import Contact
from testsupport.browser import log_in
from testsupport.builders import make_account, make_contact, make_product, make_revenue_line

pytestmark = pytest.mark.browser


@pytest.fixture
def accounts(org):
    names = [
        ("Nordwind Logistik", "Hamburg", "Germany"),
        ("Alpenblick Hotels", "Innsbruck", "Austria"),
        ("Hamburger Hafenbau", "Hamburg", "Germany"),
        ("Lumière Textiles", "Lyon", "France"),
    ]
    return [
        make_account(org.alice, name, city=city, country=country) for name, city, country in names
    ]


def row_names(page) -> list[str]:
    return page.locator("#account-table tbody tr td.primary").all_inner_texts()


def test_searching_the_account_list_filters_the_rows(page, org, accounts):
    make_account(org.bob, "Hamburg Hidden GmbH", city="Hamburg")  # another team's
    log_in(page, "alice")
    page.goto("/accounts/")
    assert len(row_names(page)) == len(accounts)
    page.fill("input[name=q]", "hamburg")
    expected = sorted(a.name for a in accounts if "hamburg" in (a.name + a.city).lower())
    page.wait_for_function(
        "n => document.querySelectorAll('#account-table tbody tr').length === n", arg=len(expected)
    )
    assert row_names(page) == expected
    assert "q=hamburg" in page.url  # the search is in the address, so it can be shared
    page.screenshot(path="/tmp/webacc/accounts-search.png", full_page=True)


def test_the_search_works_without_javascript_too(page, org, accounts):
    log_in(page, "alice")
    page.goto("/accounts/?q=lyon")
    assert row_names(page) == ["Lumière Textiles"]


def test_sorting_by_clicking_a_column_header(page, org, accounts):
    log_in(page, "alice")
    page.goto("/accounts/")
    page.click("th a[data-sort=city]")
    page.wait_for_url("**sort=city**")
    cities = page.locator("#account-table tbody tr td:nth-child(2)").all_inner_texts()
    assert cities == sorted(a.city for a in accounts)
    page.click("th a[data-sort=city]")
    page.wait_for_url("**sort=-city**")
    cities = page.locator("#account-table tbody tr td:nth-child(2)").all_inner_texts()
    assert cities == sorted((a.city for a in accounts), reverse=True)


def test_the_revenue_chart_renders(page, org, accounts):
    account = accounts[0]
    product = make_product()
    for month in range(1, 7):
        make_revenue_line(
            account,
            product,
            invoiced_on=datetime.date(2025, month, 10),
            amount=Decimal(1000 * month),
        )
    make_contact(account, first_name="Greta", last_name="Lindqvist")
    log_in(page, "alice")
    page.goto(f"/accounts/{account.pk}/")
    page.wait_for_selector("#revenue-chart canvas")
    box = page.locator("#revenue-chart canvas").first.bounding_box()
    assert box["width"] > 200 and box["height"] > 100
    page.screenshot(path="/tmp/webacc/account-detail.png", full_page=True)


def test_a_contact_with_a_missing_field_shows_the_error_then_saves(page, org, accounts):
    account = accounts[0]
    log_in(page, "alice")
    page.goto(f"/accounts/{account.pk}/")
    page.click("text=Add a contact >> nth=0")
    page.wait_for_selector("#contact-form")
    page.fill("input[name=first_name]", "Greta")
    page.select_option("select[name=hierarchy_level]", "c_level")
    page.select_option("select[name=buying_role]", "decision_maker")
    page.click("#contact-form button[type=submit]")
    error = page.locator("[data-field=last_name] .errorlist")
    assert error.inner_text() == "Enter the last name."
    assert page.locator("input[name=first_name]").input_value() == "Greta"  # input kept
    page.screenshot(path="/tmp/webacc/contact-error.png", full_page=True)
    assert not Contact.objects.exists()
    page.fill("input[name=last_name]", "Lindqvist")
    page.click("#contact-form button[type=submit]")
    page.wait_for_url(f"**/accounts/{account.pk}/")
    assert "Greta Lindqvist" in page.locator("#contacts").inner_text()
    assert Contact.objects.get().account == account
