"""Contacts: list, search, export, and the create/edit forms with understandable errors."""

import csv
import io

import pytest

from tandem.accounts.models import BuyingRole, Contact, HierarchyLevel
from tandem.audit.selectors import history_of
from testsupport.builders import make_account, make_contact


@pytest.fixture
def accounts(org):
    return {"alice": make_account(org.alice, "Alice GmbH"), "bob": make_account(org.bob, "Bob AG")}


def valid_post(account, **overrides):
    data = {
        "account": account.pk,
        "first_name": "Greta",
        "last_name": "Lindqvist",
        "job_title": "CFO",
        "email": "greta@example.com",
        "phone": "",
        "hierarchy_level": HierarchyLevel.C_LEVEL,
        "buying_role": BuyingRole.ECONOMIC_BUYER,
        "relationship_strength": "4",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_rep_creates_a_contact_through_the_service(client, org, accounts):
    client.force_login(org.alice)
    response = client.post("/accounts/contacts/new/", valid_post(accounts["alice"]))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/{accounts['alice'].pk}/"
    contact = Contact.objects.get(last_name="Lindqvist")
    assert contact.relationship_strength == 4
    assert contact.hierarchy_level == HierarchyLevel.C_LEVEL
    assert [event.action for event in history_of(contact)] == ["contact.created"]
    assert history_of(contact).get().actor == org.alice


def test_a_missing_last_name_is_explained(client, org, accounts):
    client.force_login(org.alice)
    response = client.post("/accounts/contacts/new/", valid_post(accounts["alice"], last_name=""))
    assert response.status_code == 200
    assert "Enter the last name." in response.content.decode()
    assert not Contact.objects.exists()


def test_relationship_strength_must_be_one_to_five(client, org, accounts):
    client.force_login(org.alice)
    response = client.post(
        "/accounts/contacts/new/", valid_post(accounts["alice"], relationship_strength="7")
    )
    assert "Choose a relationship strength from 1 to 5." in response.content.decode()
    assert not Contact.objects.exists()


def test_a_bad_email_is_explained(client, org, accounts):
    client.force_login(org.alice)
    response = client.post(
        "/accounts/contacts/new/", valid_post(accounts["alice"], email="greta-at-example")
    )
    assert "Enter an e-mail address like name@company.com." in response.content.decode()


def test_rep_cannot_add_a_contact_to_another_teams_account(client, org, accounts):
    client.force_login(org.alice)
    response = client.post("/accounts/contacts/new/", valid_post(accounts["bob"]))
    assert response.status_code == 200
    assert "Choose one of your accounts." in response.content.decode()
    assert not Contact.objects.exists()
    assert client.get(f"/accounts/{accounts['bob'].pk}/contacts/new/").status_code == 404


def test_the_account_picker_offers_only_visible_accounts(client, org, accounts):
    client.force_login(org.alice)
    form = client.get("/accounts/contacts/new/").context["form"]
    assert list(form.fields["account"].queryset) == [accounts["alice"]]


def test_from_the_account_page_the_account_is_preselected(client, org, accounts):
    client.force_login(org.alice)
    response = client.get(f"/accounts/{accounts['alice'].pk}/contacts/new/")
    assert response.context["form"].initial["account"] == accounts["alice"]
    assert f'<option value="{accounts["alice"].pk}" selected>' in response.content.decode()


def test_editing_a_contact_is_recorded(client, org, accounts):
    contact = make_contact(accounts["alice"], first_name="Greta", last_name="Old")
    client.force_login(org.alice)
    response = client.post(
        f"/accounts/contacts/{contact.pk}/edit/", valid_post(accounts["alice"], last_name="New")
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.last_name == "New"
    changed = history_of(contact).filter(action="contact.updated").get()
    assert changed.changes["last_name"] == ["Old", "New"]


def test_rep_cannot_edit_another_teams_contact(client, org, accounts):
    contact = make_contact(accounts["bob"])
    client.force_login(org.alice)
    assert client.get(f"/accounts/contacts/{contact.pk}/edit/").status_code == 404
    response = client.post(f"/accounts/contacts/{contact.pk}/edit/", valid_post(accounts["bob"]))
    assert response.status_code == 404


def test_contact_list_searches_and_scopes(client, org, accounts):
    make_contact(accounts["alice"], first_name="Greta", last_name="Lindqvist", job_title="CFO")
    make_contact(accounts["alice"], first_name="Hans", last_name="Meier", job_title="Buyer")
    make_contact(accounts["bob"], first_name="Greta", last_name="Hidden")
    client.force_login(org.alice)
    names = [c.last_name for c in client.get("/accounts/contacts/").context["page_obj"]]
    assert names == ["Lindqvist", "Meier"]
    found = client.get("/accounts/contacts/", {"q": "greta"}).context["page_obj"]
    assert [c.last_name for c in found] == ["Lindqvist"]
    found = client.get("/accounts/contacts/", {"q": "buyer"}).context["page_obj"]
    assert [c.last_name for c in found] == ["Meier"]


def test_contact_export_is_the_filtered_list(client, org, accounts):
    for level in [HierarchyLevel.C_LEVEL, HierarchyLevel.MANAGER, HierarchyLevel.C_LEVEL]:
        make_contact(accounts["alice"], hierarchy_level=level)
    make_contact(accounts["bob"], hierarchy_level=HierarchyLevel.C_LEVEL)
    client.force_login(org.alice)
    response = client.get(
        "/accounts/contacts/", {"hierarchy_level": HierarchyLevel.C_LEVEL, "export": "csv"}
    )
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    expected = Contact.objects.filter(
        account=accounts["alice"], hierarchy_level=HierarchyLevel.C_LEVEL
    )
    assert sorted(int(row["id"]) for row in rows) == sorted(c.pk for c in expected)
