"""The bulk upserts of accounts and contacts and the single-row services apply one set of
rules (accounts/rules.py): the same fields and the same audit rows either way."""

import pytest

from tandem.accounts.bulk import AccountWrite, ContactWrite, upsert_accounts, upsert_contacts
from tandem.accounts.models import Account
from tandem.accounts.services import create_account, create_contact, update_account
from tandem.audit.selectors import history_of
from tandem.core.errors import RowsRejected
from testsupport.builders import make_account


def trail(obj) -> list:
    return [(e.actor_id, e.action, e.changes) for e in history_of(obj).order_by("pk")]


def test_a_new_account_starts_the_same_both_ways(org):
    one = create_account(acting_user=org.otto, name="Nordwind AG", owner=org.alice)
    (other,) = upsert_accounts(
        [AccountWrite({"name": "Nordwind SE", "owner": org.alice})], acting_user=org.otto
    )
    assert other.owner == org.alice and trail(one) == trail(other)


def test_an_edit_and_a_new_owner_end_the_same_both_ways(org):
    one, other = make_account(org.alice, name="A"), make_account(org.alice, name="B")
    parent = make_account(org.alice, name="Group")
    changes = {"country": "Austria", "owner": org.bob}
    update_account(one, acting_user=org.mona, parent=parent, **changes)
    write = AccountWrite({**changes, "parent": parent}, account=other)
    upsert_accounts([write], acting_user=org.mona)
    assert write.changed
    one.refresh_from_db()
    other.refresh_from_db()
    assert (one.country, one.owner, one.parent) == (other.country, other.owner, other.parent)
    assert trail(one) == trail(other)
    assert [action for _actor, action, _changes in trail(other)] == [
        "account.updated",
        "account.owner_changed",
    ]


def test_a_parent_new_in_the_same_call(org):
    parent = AccountWrite({"name": "Group", "external_ref": "g"})
    child = AccountWrite({"name": "Subsidiary", "parent": parent})
    upsert_accounts([child, parent], acting_user=org.alice)
    assert Account.objects.get(name="Subsidiary").parent == Account.objects.get(name="Group")
    assert [a for _u, a, _c in trail(child.instance)] == ["account.created"]


def test_an_inactive_owner_is_refused_both_ways_and_the_row_named(org):
    org.bob.is_active = False
    org.bob.save()
    account = make_account(org.alice)
    with pytest.raises(RowsRejected) as rejected:
        upsert_accounts(
            [AccountWrite({"owner": org.bob}, account=account, line=5)], acting_user=org.otto
        )
    assert rejected.value.problems == [(5, "An inactive user cannot own an account.")]
    assert not history_of(account).exists()


def test_a_new_contact_starts_the_same_both_ways(org):
    account = make_account(org.alice)
    fields = {
        "account": account,
        "first_name": "Ada",
        "last_name": "L",
        "hierarchy_level": "c_level",
    }
    fields["buying_role"] = "decision_maker"
    one = create_contact(acting_user=org.alice, **fields)
    (other,) = upsert_contacts([ContactWrite(dict(fields))], acting_user=org.alice)
    assert trail(one) == trail(other) == [(org.alice.pk, "contact.created", {})]
