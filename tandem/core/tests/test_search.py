"""Searching finds names whatever their letters' case, umlauts included, on both databases."""

import pytest

from tandem.accounts.models import Account
from tandem.core.testing import make_account


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
