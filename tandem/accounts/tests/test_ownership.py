import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tandem.accounts.models import Account
from tandem.accounts.services import change_account_owner, create_account, update_account
from tandem.audit.selectors import history_of
from testsupport.builders import make_account


def test_the_database_refuses_an_account_without_owner(org):
    account = make_account(org.alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=account.pk).update(owner=None)


def test_an_owner_change_is_recorded_with_who_and_when(org):
    account = make_account(org.alice)
    change_account_owner(account, org.kim, acting_user=org.mona)
    account.refresh_from_db()
    assert account.owner == org.kim
    event = history_of(account).get()
    assert event.action == "account.owner_changed"
    assert event.actor == org.mona
    assert event.changes == {"owner": [org.alice.pk, org.kim.pk]}


def test_giving_an_account_to_its_owner_changes_nothing(org):
    account = make_account(org.alice)
    change_account_owner(account, org.alice, acting_user=org.mona)
    assert not history_of(account).exists()


def test_an_account_cannot_sit_below_itself(org):
    parent = make_account(org.alice, "Parent")
    child = make_account(org.alice, "Child", parent=parent)
    with pytest.raises(ValidationError):
        update_account(parent, acting_user=org.otto, parent=child)
    parent.refresh_from_db()
    assert parent.parent is None


def test_the_database_refuses_an_account_as_its_own_parent(org):
    account = make_account(org.alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=account.pk).update(parent=account.pk)


def test_create_account_makes_the_creator_the_owner(org):
    account = create_account(acting_user=org.bob, name="Fresh GmbH")
    assert account.owner == org.bob
    assert history_of(account).get().action == "account.created"
