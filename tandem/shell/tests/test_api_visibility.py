"""Every list endpoint, for every role, shows exactly the rows that role may see.

The expected sets are written out by hand from the rules in DESIGN.md (a rep sees their own work,
a Sales Manager their team's, a KAM their accounts and everything below them, Head of Sales and
admins everything), not derived from the selectors.
"""

import pytest

from tandem.accounts.models import Tier
from testsupport.builders import make_account, make_activity, make_contact, make_deal, make_product

EVERYTHING = {"A", "B", "K", "KS"}
EXPECTED_ACCOUNTS = {
    "alice": {"A"},
    "bob": {"B", "KS"},  # owns KS, a subsidiary of kim's key account
    "mona": {"A"},
    "sam": {"B", "KS"},
    "kim": {"K", "KS"},
    "hanna": EVERYTHING,
    "otto": EVERYTHING,
}
EXPECTED_DEALS = {
    "alice": {"A", "orphan"},
    "bob": {"B", "KS"},
    "mona": {"A", "orphan"},
    "sam": {"B", "KS"},
    "kim": {"KS"},  # bob's deal on her subsidiary
    "hanna": {"A", "B", "KS", "orphan"},
    "otto": {"A", "B", "KS", "orphan"},
}


@pytest.fixture
def world(org):
    accounts = {
        "A": make_account(org.alice, "A"),
        "B": make_account(org.bob, "B"),
        "K": make_account(org.kim, "K", tier=Tier.KEY_ACCOUNT),
    }
    accounts["KS"] = make_account(org.bob, "KS", parent=accounts["K"])
    deals = {"A": make_deal(org.alice, accounts["A"], name="A")}
    deals["B"] = make_deal(org.bob, accounts["B"], name="B")
    deals["KS"] = make_deal(org.bob, accounts["KS"], name="KS")
    deals["orphan"] = make_deal(org.alice, None, name="orphan")
    contacts = {name: make_contact(account, last_name=name) for name, account in accounts.items()}
    activities = {
        name: make_activity(account, account.owner, subject=name)
        for name, account in accounts.items()
    }
    products = [make_product(), make_product()]
    return {
        "accounts": accounts,
        "deals": deals,
        "contacts": contacts,
        "activities": activities,
        "products": products,
    }


def _names(client, path: str, key: str) -> set[str]:
    body = client.get(f"{path}?limit=500").json()
    assert body["count"] == len(body["items"])
    return {row[key] for row in body["items"]}


@pytest.mark.parametrize("username", list(EXPECTED_ACCOUNTS))
def test_each_role_lists_only_what_it_may_see(world, as_user, username):
    client = as_user(username)
    assert _names(client, "/api/accounts", "name") == EXPECTED_ACCOUNTS[username]
    assert _names(client, "/api/contacts", "last_name") == EXPECTED_ACCOUNTS[username]
    assert _names(client, "/api/activities", "subject") == EXPECTED_ACCOUNTS[username]
    assert _names(client, "/api/deals", "name") == EXPECTED_DEALS[username]
    assert _names(client, "/api/products", "code") == {p.code for p in world["products"]}


@pytest.mark.parametrize("username", list(EXPECTED_ACCOUNTS))
def test_each_role_reads_only_what_it_may_see(world, as_user, username):
    client = as_user(username)
    for kind, expected in [
        ("accounts", EXPECTED_ACCOUNTS),
        ("contacts", EXPECTED_ACCOUNTS),
        ("activities", EXPECTED_ACCOUNTS),
        ("deals", EXPECTED_DEALS),
    ]:
        for name, row in world[kind].items():
            status = client.get(f"/api/{kind}/{row.pk}").status_code
            assert status == (200 if name in expected[username] else 404), (kind, name)


def test_kam_changes_a_deal_on_her_subsidiary_but_not_elsewhere(world, as_user):
    client = as_user("kim")
    visible = world["deals"]["KS"]
    invisible = world["deals"]["B"]
    ok = client.patch(f"/api/deals/{visible.pk}", {"value": "5"}, content_type="application/json")
    assert ok.status_code == 200
    refused = client.patch(
        f"/api/deals/{invisible.pk}", {"value": "5"}, content_type="application/json"
    )
    assert refused.status_code == 404
