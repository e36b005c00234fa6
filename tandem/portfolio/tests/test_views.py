"""The whitespace pages: who may open them, what each role sees, filters, English and German."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tandem.portfolio.tests.conftest import buy, key_account
from testsupport.builders import make_account, make_deal


def client_for(user, language="en") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


URL = "/key-accounts/whitespace/"
WINDOW_QUERY = "?months=12&end=2026-05-20"


def account_rows(response) -> list[str]:
    return [row["account"].name for row in response.context["rows"]]


def test_a_rep_may_not_open_whitespace(org, portfolio):
    assert client_for(org.alice).get(URL).status_code == 403
    assert client_for(org.alice).get(f"{URL}accounts/{portfolio['s1'].pk}/").status_code == 403


def test_each_role_sees_its_key_accounts(org, portfolio):
    assert account_rows(client_for(org.kim).get(URL + WINDOW_QUERY)) == ["Kappa One", "Kappa Two"]
    assert account_rows(client_for(portfolio["zoe"]).get(URL + WINDOW_QUERY)) == ["Zeta One"]
    assert account_rows(client_for(org.hanna).get(URL + WINDOW_QUERY)) == [
        "Kappa One",
        "Zeta One",
        "Kappa Two",
    ]
    assert account_rows(client_for(org.mona).get(URL + WINDOW_QUERY)) == []
    make_deal(org.alice, portfolio["z1"])
    assert account_rows(client_for(org.mona).get(URL + WINDOW_QUERY)) == ["Zeta One"]
    # nobody opens the page of an account they cannot see
    assert client_for(org.kim).get(f"{URL}accounts/{portfolio['z1'].pk}/").status_code == 404
    assert client_for(org.sam).get(f"{URL}accounts/{portfolio['k1'].pk}/").status_code == 404


def test_filters_by_kam_sector_and_window(org, portfolio):
    head = client_for(org.hanna)
    zoe = portfolio["zoe"]
    assert account_rows(head.get(f"{URL}{WINDOW_QUERY}&kam={zoe.pk}")) == ["Zeta One"]
    assert account_rows(head.get(f"{URL}{WINDOW_QUERY}&sector=retail")) == ["Kappa Two"]
    # the KAM filter is not offered to a KAM
    assert "kam" not in client_for(org.kim).get(URL).context["form"].fields
    # a three-month window to 2026-05-20 starts on 2026-02-21: k1's February line drops out
    page = head.get(f"{URL}?months=3&end=2026-05-20")
    totals = {row["account"].name: row["total"] for row in page.context["rows"]}
    assert totals == {"Kappa One": 500, "Zeta One": 0, "Kappa Two": 0}
    assert page.context["window"].start == datetime.date(2026, 2, 21)


def test_the_page_in_english_and_german(org, portfolio, catalog):
    english = client_for(org.kim).get(URL + WINDOW_QUERY)
    assert english.status_code == 200
    text = english.content.decode()
    assert "Who buys what" in text and "Cross-sell candidates" in text
    assert 'id="whitespace-data"' in text and "heatmap-chart" in text
    # k1 bought 1,500 of A: its cell carries the amount
    assert 'data-product="A" data-amount="1500.00"' in text
    german = client_for(org.kim, "de").get(URL + WINDOW_QUERY).content.decode()
    assert "Wer kauft was" in german and "Cross-Selling-Kandidaten" in german
    assert "1.500 €" in german
    assert "letzte 12 Monate" in german


def test_a_bad_filter_keeps_the_good_ones(org, portfolio):
    page = client_for(org.hanna).get(f"{URL}?months=3&end=2026-05-20&sector=nope")
    assert page.context["window"].start == datetime.date(2026, 2, 21)
    assert "sector" in page.context["form"].errors


def test_candidates_are_marked_in_the_table_and_listed(org, portfolio, catalog):
    # three standard accounts buying B and D make D a candidate for k2 (which buys B)

    for index in range(3):
        peer = make_account(org.alice, name=f"Peer {index}")
        buy(peer, catalog["B"], 100)
        buy(peer, catalog["D"], 1200)
    page = client_for(org.kim).get(URL + WINDOW_QUERY)
    found = [(c.account.name, c.product.code) for c in page.context["candidates"]]
    assert ("Kappa Two", "D") in found
    text = page.content.decode()
    assert f'data-candidate="{portfolio["k2"].pk}-D"' in text
    detail = client_for(org.kim).get(f"{URL}accounts/{portfolio['k2'].pk}/{WINDOW_QUERY}")
    assert [c.product.code for c in detail.context["candidates"]][0] == "D"
    assert "bought by 3 of the" in detail.content.decode()
    german = client_for(org.kim, "de").get(f"{URL}accounts/{portfolio['k2'].pk}/{WINDOW_QUERY}")
    assert "gekauft von 3 der" in german.content.decode()


@pytest.mark.parametrize("query", ["?months=7", "?end=not-a-date", "?sector=nope", "?kam=999"])
def test_bad_filters_fall_back_to_the_defaults(org, portfolio, query):
    response = client_for(org.hanna).get(URL + query)
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_number_of_queries_does_not_grow_with_the_accounts(org, catalog):

    def add_accounts(count: int) -> None:
        for index in range(count):
            account = key_account(org.kim, f"Key {count}-{index}")
            buy(account, catalog["ABCDEFG"[index % 7]], 100 + index)
            peer = make_account(org.alice, name=f"Peer {count}-{index}")
            buy(peer, catalog["ABCDEFG"[index % 7]], 50)
            buy(peer, catalog["ABCDEFG"[(index + 1) % 7]], 70)

    client = client_for(org.kim)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL + WINDOW_QUERY).status_code == 200
        return len(captured.captured_queries)

    add_accounts(2)
    few = queries()
    add_accounts(12)
    assert queries() == few
