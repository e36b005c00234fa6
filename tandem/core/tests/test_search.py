"""Searching finds names whatever their letters' case, umlauts included, on both databases."""

import pytest

from tandem.accounts.models import Account
from testsupport.builders import make_account, make_activity, make_contact, make_deal


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("müller", True),
        ("MÜLLER", True),
        ("Müller", True),
        ("größe", True),
        ("GRÖßE", True),
        ("ÜLL", True),
        ("muller", False),  # no accent folding: ü is not u
        ("100%", False),  # % and _ are literal characters, not wildcards
        ("_", False),
    ],
)
def test_icontains_folds_unicode_case(org, query, found):
    make_account(org.alice, "Müller & Größe GmbH")
    make_account(org.alice, "Other 100 Ltd")
    names = set(Account.objects.filter(name__icontains=query).values_list("name", flat=True))
    assert ("Müller & Größe GmbH" in names) is found


def test_the_account_search_of_the_web_list_uses_it(client, org):
    make_account(org.alice, "Ölmühle Özdemir")
    client.force_login(org.alice)
    html = client.get("/accounts/", {"q": "ÖLMÜHLE"}).content.decode()
    assert "Ölmühle Özdemir" in html


def test_the_web_lists_and_the_api_search_the_same_fields(client, org):
    """One search per entity: the same text finds the same rows on the page and in the API."""
    city = make_account(org.alice, "Zeta Works", city="Königsberg")
    other = make_account(org.alice, "Other Ltd")
    make_contact(city, first_name="Jörg", last_name="Kramer", job_title="Einkauf")
    make_contact(other, first_name="Ann", last_name="Lee", job_title="CFO")
    make_deal(org.alice, city, name="Renewal 2027")
    make_deal(org.alice, other, name="Pumps")
    make_activity(city, org.alice, subject="Call", notes="Spoke about königsberg plant")
    make_activity(other, org.alice, subject="Visit", notes="")
    client.force_login(org.alice)
    searches = [
        ("/accounts/", "/api/accounts", "KÖNIGSBERG", {"Zeta Works"}),
        ("/accounts/contacts/", "/api/contacts", "zeta", {"Jörg Kramer"}),
        ("/deals/", "/api/deals", "zeta works", {"Renewal 2027"}),
        ("/activities/", "/api/activities", "KÖNIGSBERG", {"Call"}),
    ]
    for page_url, api_url, text, expected in searches:
        items = client.get(api_url, {"q": text}).json()["items"]
        names = {
            item.get("name")
            or item.get("subject")
            or f"{item.get('first_name')} {item.get('last_name')}"
            for item in items
        }
        assert names == expected, api_url
        html = client.get(page_url, {"q": text}).content.decode()
        for name in expected:
            assert name in html, page_url
