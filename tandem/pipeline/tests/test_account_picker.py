"""Many visible accounts: the deal form and "assign account" search instead of listing them all."""

import pytest
from django.urls import reverse

from tandem.pipeline.forms import AccountPickerWidget, DealForm
from tandem.pipeline.models import Deal, DealType, Stage
from testsupport.builders import PASSWORD, make_account, make_deal

OPTIONS = reverse("pipeline:account_options")


@pytest.fixture
def few_is_many(monkeypatch):
    monkeypatch.setattr("tandem.pipeline.forms.ACCOUNT_SELECT_LIMIT", 1)


def logged_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def picked(response) -> list[str]:
    return [account.name for account in response.context["accounts"]]


def test_a_short_list_stays_a_select(org):
    make_account(org.alice)
    form = DealForm(user=org.alice)
    assert not isinstance(form.fields["account"].widget, AccountPickerWidget)


def test_a_long_list_becomes_a_search(org, few_is_many):
    make_account(org.alice)
    make_account(org.alice)
    form = DealForm(user=org.alice)
    assert isinstance(form.fields["account"].widget, AccountPickerWidget)


def test_suggestions_are_visible_accounts_matching_the_text(client, org):
    make_account(org.alice, "Müller Maschinenbau")
    make_account(org.alice, "Schmidt Logistik")
    make_account(org.bob, "Müller Elektro")
    client = logged_in(client, org.alice)
    assert picked(client.get(OPTIONS, {"account_search": "müller"})) == ["Müller Maschinenbau"]
    assert picked(client.get(OPTIONS, {"account_search": "LOGISTIK"})) == ["Schmidt Logistik"]
    assert picked(client.get(OPTIONS, {"account_search": "  "})) == []


def create(client, **data):
    base = {
        "name": "Picked",
        "value": "10",
        "owner": client.session["_auth_user_id"],
        "stage": Stage.objects.get(code="prospecting").pk,
        "deal_type": DealType.NEW_BUSINESS,
    }
    return client.post(reverse("pipeline:deal_create"), {**base, **data})


def test_the_picked_account_is_saved(client, org, few_is_many):
    account = make_account(org.alice, "Hansa")
    make_account(org.alice)
    response = create(logged_in(client, org.alice), account=account.pk, account_search="Hansa")
    assert response.status_code == 302
    assert Deal.objects.get(name="Picked").account == account


def test_typing_without_picking_is_explained(client, org, few_is_many):
    make_account(org.alice, "Hansa")
    make_account(org.alice)
    response = create(logged_in(client, org.alice), account="", account_search="Hans")
    assert response.context["form"].errors["account"] == [
        "Choose the account from the suggestions."
    ]
    assert not Deal.objects.exists()


def test_a_picked_account_the_user_cannot_see_is_refused(client, org, few_is_many):
    make_account(org.alice)
    make_account(org.alice)
    bobs = make_account(org.bob, "Bob's customer")
    response = create(logged_in(client, org.alice), account=bobs.pk, account_search="Bob")
    assert response.context["form"].errors["account"] == [
        "This account does not exist or you may not see it."
    ]
    assert "Bob&#x27;s customer" not in response.content.decode()
    assert not Deal.objects.exists()


def test_assign_account_with_the_picker(client, org, few_is_many):
    deal = make_deal(org.alice, account=None)
    account = make_account(org.alice, "Found")
    make_account(org.alice)
    client = logged_in(client, org.alice)
    detail = client.get(reverse("pipeline:deal_detail", args=[deal.pk]))
    assert "data-account-picker" in detail.content.decode()
    client.post(
        reverse("pipeline:deal_assign_account", args=[deal.pk]),
        {"account": account.pk, "account_search": "Found"},
    )
    deal.refresh_from_db()
    assert deal.account == account
