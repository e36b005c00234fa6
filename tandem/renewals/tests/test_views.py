"""The renewal pages, per role, in English and German."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from tandem.accounts.models import Contract, ContractStatus
from testsupport.builders import PASSWORD, make_account, make_contract, make_deal

D = datetime.timedelta


def client_for(user, language="en") -> Client:
    client = Client(headers={"Accept-Language": language})
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def book(org):
    """An upcoming renewal for kim (in 40 days), alice (in 120 days) and bob (in 400 days)."""
    today = timezone.localdate()

    def contract(owner, name, days, **fields):
        account = make_account(owner, name=name)
        return make_contract(
            account,
            name=f"{name} subscription",
            start_on=today - D(days=300),
            end_on=today + D(days=days),
            annual_value=Decimal("123456"),
            **fields,
        )

    return {
        "kim": contract(org.kim, "Kilo GmbH", 40),
        "alice": contract(org.alice, "Alpha AG", 120),
        "bob": contract(org.bob, "Bravo SE", 400),
    }


@pytest.mark.parametrize(
    ("persona", "seen"),
    [
        ("kim", {"Kilo GmbH"}),
        ("alice", {"Alpha AG"}),
        ("mona", {"Alpha AG"}),
        ("bob", set()),
        ("sam", set()),
        ("hanna", {"Kilo GmbH", "Alpha AG"}),
        ("otto", {"Kilo GmbH", "Alpha AG"}),
    ],
)
def test_upcoming_shows_only_what_the_role_may_see(org, book, persona, seen):
    html = client_for(getattr(org, persona)).get("/key-accounts/renewals/").content.decode()
    assert {name for name in ["Kilo GmbH", "Alpha AG", "Bravo SE"] if name in html} == seen


def test_horizon_toggle(org, book):
    client = client_for(org.hanna)
    html = client.get("/key-accounts/renewals/?within=90").content.decode()
    assert "Kilo GmbH" in html and "Alpha AG" not in html
    html = client.get("/key-accounts/renewals/?within=180").content.decode()
    assert "Alpha AG" in html and "Bravo SE" not in html
    # any horizon up to ten years, through the old ?within= or the filter's within_days
    html = client.get("/key-accounts/renewals/?within_days=400").content.decode()
    assert "Bravo SE" in html and 'data-within="180"' in html
    assert "Bravo SE" in client.get("/key-accounts/renewals/?within=401").content.decode()
    # anything else lists nothing and says which filter is wrong
    for bad in ["x", "-1", "3651"]:
        response = client.get("/key-accounts/renewals/", {"within": bad})
        html = response.content.decode()
        assert "Kilo GmbH" not in html and "Alpha AG" not in html, bad
        assert "within_days" in response.context["filters"].errors
        assert 'class="form-errors"' in html


def test_owner_filter(org, book):
    client = client_for(org.hanna)
    html = client.get(f"/key-accounts/renewals/?owner={org.kim.pk}").content.decode()
    assert "Kilo GmbH" in html and "Alpha AG" not in html
    assert f'<option value="{org.alice.pk}"' in html  # still offered
    assert f'<option value="{org.bob.pk}"' in html  # owns an active contract beyond 180 days
    for bad in ["x", str(org.sam.pk)]:  # sam owns no active contract
        html = client.get(f"/key-accounts/renewals/?owner={bad}").content.decode()
        assert "Kilo GmbH" not in html and "Alpha AG" not in html
        assert 'class="form-errors"' in html


def test_row_shows_score_signals_owner_value_and_notice_date(org, book):
    contract = book["kim"]
    response = client_for(org.kim).get("/key-accounts/renewals/?within=90")
    html = response.content.decode()
    assert f'data-contract="{contract.pk}"' in html
    assert "123,456" in html
    assert str(org.kim) in html
    notice = contract.end_on - D(days=contract.notice_period_days)
    assert notice.isoformat() in html
    assert "No decision maker known at the account" in html
    assert 'data-signal="champion_gone"' in html
    assert 'id="renewals-data"' in html
    assert response.context["risks"][0].score > 0


def test_german_page(org, book):
    html = client_for(org.kim, "de").get("/key-accounts/renewals/").content.decode()
    assert "Anstehende Verlängerungen" in html
    assert "123.456" in html
    assert "Entscheider/in" in html


def test_record_outcome_through_the_form(org, book):
    contract = book["kim"]
    client = client_for(org.kim)
    url = f"/key-accounts/renewals/contracts/{contract.pk}/outcome/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"outcome": "expanded", "new_annual_value": "100"})
    assert response.status_code == 200
    assert "higher annual value" in response.content.decode()
    response = client.post(url, {"outcome": "expanded", "new_annual_value": "150000"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.EXPANDED
    assert Contract.objects.get(renewal_of=contract).annual_value == Decimal("150000")


def test_outcome_form_in_german(org, book):
    client = client_for(org.kim, "de")
    url = f"/key-accounts/renewals/contracts/{book['kim'].pk}/outcome/"
    response = client.post(url, {"outcome": "churned"})
    assert "Ergebnis" in response.content.decode()
    assert response.status_code == 200
    book["kim"].refresh_from_db()
    assert book["kim"].status == ContractStatus.ACTIVE


def test_outcome_of_a_contract_one_may_not_see_or_decide(org, book):
    url = f"/key-accounts/renewals/contracts/{book['kim'].pk}/outcome/"
    assert client_for(org.alice).get(url).status_code == 404
    assert client_for(org.alice).post(url, {"outcome": "renewed"}).status_code == 404
    make_deal(org.alice, book["kim"].account)  # now alice sees the account
    assert client_for(org.alice).post(url, {"outcome": "renewed"}).status_code == 403
    book["kim"].refresh_from_db()
    assert book["kim"].status == ContractStatus.ACTIVE


def test_record_button_only_for_those_who_may(org, book):
    make_deal(org.alice, book["kim"].account)
    html = client_for(org.alice).get("/key-accounts/renewals/").content.decode()
    assert "Kilo GmbH" in html
    assert f"/contracts/{book['kim'].pk}/outcome/" not in html
    assert f"/contracts/{book['alice'].pk}/outcome/" in html


def test_rates_page(org):
    account = make_account(org.kim, name="Kilo")
    for status in ["renewed", "churned", "expanded", "active"]:
        make_contract(
            account,
            start_on=datetime.date(2024, 1, 1),
            end_on=datetime.date(2025, 3, 31),
            status=status,
        )
    client = client_for(org.hanna)
    response = client.get("/key-accounts/renewals/rates/?period=2025Q1")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-kam="{org.kim.pk}"' in html
    assert "66.7 %" in html
    assert 'id="rates-data"' in html
    german = client_for(org.hanna, "de").get("/key-accounts/renewals/rates/?period=2025Q1")
    assert "66,7 %" in german.content.decode()
    assert "Verlängerungsquote" in german.content.decode()
    # another period has nothing
    assert (
        "66.7 %" not in client.get("/key-accounts/renewals/rates/?period=2025Q2").content.decode()
    )
    # kim's row is not shown to a Sales Manager
    assert (
        f'data-kam="{org.kim.pk}"'
        not in client_for(org.mona)
        .get("/key-accounts/renewals/rates/?period=2025Q1")
        .content.decode()
    )


def test_rates_page_bad_period(org):
    response = client_for(org.kim).get("/key-accounts/renewals/rates/?period=soon")
    assert response.status_code == 200
    assert 'id="period-error"' in response.content.decode()


def test_login_required(db):
    assert Client().get("/key-accounts/renewals/").status_code == 302
    assert Client().get("/key-accounts/renewals/rates/").status_code == 302
