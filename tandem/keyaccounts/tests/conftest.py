import pytest

from tandem.keyaccounts.models import KeyAccountRules
from tandem.users.models import Role
from testsupport.builders import make_contact, make_user


@pytest.fixture
def rules(db) -> KeyAccountRules:
    return KeyAccountRules.current()


@pytest.fixture
def kai(org):
    """A second KAM."""
    return make_user("kai", Role.KEY_ACCOUNT_MANAGER)


def complete_texts() -> dict:
    return {
        "customer_needs": "Wants one supplier for all sites.",
        "commitments": "Promised a price review in Q3.",
        "risks": "Their CFO is looking at a competitor.",
    }


def with_contacts(account):
    make_contact(account, hierarchy_level="c_level", buying_role="decision_maker")
    return account
