"""Two people editing one record: the second save is told, never silently overwrites.

Accounts, contacts and deals carry a version that every save counts up; the edit forms send
it in a hidden field and the API's PATCH in `version` (issue 13, optimistic concurrency).
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from tandem.accounts.bulk import AccountWrite, upsert_accounts
from tandem.accounts.models import Account, Contact
from tandem.accounts.services import update_account, update_contact
from tandem.core.errors import StaleRecord
from tandem.pipeline.models import Deal, DealType, Stage
from tandem.pipeline.services import move_deal_to_stage, update_deal
from testsupport.builders import make_account, make_contact, make_deal

STALE = "Someone else changed this record since you opened it."
STALE_DE = "Jemand anderes hat diesen Datensatz geändert, seit Sie ihn geöffnet haben."


# --- the services ----------------------------------------------------------------------------


def test_every_save_counts_up_the_version(org):
    account = make_account(org.alice)
    assert account.version == 1
    account = update_account(account, acting_user=org.alice, city="Bonn")
    assert account.version == 2
    account = update_account(account, acting_user=org.mona, owner=org.mona)  # update_fields
    assert Account.objects.get(pk=account.pk).version == account.version == 3


def test_a_change_made_on_an_older_reading_is_refused(org):
    account = make_account(org.alice, city="Graz")
    read = account.version
    update_account(account, acting_user=org.mona, city="Linz", version=read)
    with pytest.raises(StaleRecord) as refused:
        update_account(account, acting_user=org.alice, city="Wien", version=read)
    assert refused.value.current == read + 1
    assert Account.objects.get(pk=account.pk).city == "Linz"


def test_a_board_move_counts_as_a_save_of_the_deal(org):
    deal = make_deal(org.alice)
    read = deal.version
    move_deal_to_stage(deal, Stage.objects.get(code="proposal"), acting_user=org.mona)
    with pytest.raises(StaleRecord):
        update_deal(deal, acting_user=org.alice, value=Decimal("9"), version=read)


def test_an_import_counts_as_a_save(org):
    account = make_account(org.alice, name="Imported", external_ref="crm:1", city="Graz")
    read = account.version
    upsert_accounts([AccountWrite(account=account, fields={"city": "Linz"})], acting_user=org.otto)
    assert Account.objects.get(pk=account.pk).version == read + 1


# --- the API ---------------------------------------------------------------------------------


def _patch(client, url, data, language="en"):
    return client.patch(
        url, data, content_type="application/json", headers={"Accept-Language": language}
    )


@pytest.mark.parametrize("kind", ["accounts", "contacts", "deals"])
def test_the_second_patch_on_the_same_version_is_409(org, as_user, kind):
    account = make_account(org.alice, name="Alpha AG")
    record = {
        "accounts": account,
        "contacts": make_contact(account, last_name="Old"),
        "deals": make_deal(org.alice, account=account, name="Old"),
    }[kind]
    field = "last_name" if kind == "contacts" else "name"
    url = f"/api/{kind}/{record.pk}"
    read = as_user("alice").get(url).json()
    assert read["version"] == 1

    first = _patch(as_user("mona"), url, {field: "Mona's", "version": read["version"]})
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 2

    second = _patch(as_user("alice"), url, {field: "Alice's", "version": read["version"]})
    assert second.status_code == 409, second.content
    problem = {"loc": ["body", "version"], "msg": STALE, "type": "stale"}
    assert second.json() == {"detail": [problem]}
    assert getattr(type(record).objects.get(pk=record.pk), field) == "Mona's"

    again = _patch(as_user("alice"), url, {field: "Alice's", "version": 2})
    assert again.status_code == 200, again.content
    assert again.json()["version"] == 3


def test_the_409_speaks_german(org, as_user):
    account = make_account(org.alice)
    update_account(account, acting_user=org.alice, city="Bonn")
    response = _patch(as_user("alice"), f"/api/accounts/{account.pk}", {"version": 1}, "de")
    assert response.status_code == 409
    assert response.json()["detail"][0]["msg"] == STALE_DE


def test_a_patch_without_version_is_applied_as_before(org, as_user):
    account = make_account(org.alice, city="Graz")
    update_account(account, acting_user=org.mona, city="Linz")
    response = _patch(as_user("alice"), f"/api/accounts/{account.pk}", {"city": "Wien"})
    assert response.status_code == 200
    assert response.json()["version"] == 3


def test_the_api_describes_the_version(org, as_user):
    schema = as_user("alice").get("/api/openapi.json").json()
    assert "409" in schema["paths"]["/api/deals/{deal_id}"]["patch"]["responses"]
    assert "version" in schema["info"]["description"]


# --- the web forms ---------------------------------------------------------------------------


def _deal_post(deal, **overrides):
    data = {
        "name": deal.name,
        "value": "5000",
        "owner": deal.owner_id,
        "stage": deal.stage_id,
        "deal_type": DealType.NEW_BUSINESS,
        "lost_reason": "",
    }
    data.update(overrides)
    return data


def test_the_deal_form_tells_the_second_editor(client, org):
    deal = make_deal(org.alice, name="Pumps")
    url = reverse("pipeline:deal_edit", args=[deal.pk])
    client.force_login(org.alice)
    opened = client.get(url)
    assert 'name="version" value="1"' in opened.content.decode()

    update_deal(deal, acting_user=org.mona, name="Pumps (Mona)", version=1)
    response = client.post(url, _deal_post(deal, name="Pumps (Alice)", version="1"))
    assert response.status_code == 200
    page = response.content.decode()
    assert STALE in page
    assert Deal.objects.get(pk=deal.pk).name == "Pumps (Mona)"
    # Her values stay on the form; saving again, knowingly, goes over Mona's change.
    assert 'value="Pumps (Alice)"' in page
    assert 'name="version" value="2"' in page
    again = client.post(url, _deal_post(deal, name="Pumps (Alice)", version="2"))
    assert again.status_code == 302
    assert Deal.objects.get(pk=deal.pk).name == "Pumps (Alice)"


def test_the_contact_form_tells_the_second_editor_in_german(client, org):
    account = make_account(org.alice)
    contact = make_contact(account, last_name="Alt")
    url = f"/accounts/contacts/{contact.pk}/edit/"
    client.force_login(org.alice)
    assert 'name="version" value="1"' in client.get(url).content.decode()
    update_contact(contact, acting_user=org.mona, last_name="Mona", version=1)
    data = {
        "account": account.pk,
        "first_name": contact.first_name,
        "last_name": "Alice",
        "hierarchy_level": contact.hierarchy_level,
        "buying_role": contact.buying_role,
        "relationship_strength": "3",
        "is_active": "on",
        "version": "1",
    }
    response = client.post(url, data, headers={"Accept-Language": "de"})
    assert response.status_code == 200
    assert STALE_DE in response.content.decode()
    assert Contact.objects.get(pk=contact.pk).last_name == "Mona"


def test_a_new_record_has_no_version_field(client, org):
    client.force_login(org.alice)
    assert 'name="version"' not in client.get(reverse("pipeline:deal_create")).content.decode()
    assert 'name="version"' not in client.get("/accounts/contacts/new/").content.decode()
