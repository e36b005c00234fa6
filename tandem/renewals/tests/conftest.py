import datetime

import pytest

from tandem.accounts.models import BuyingRole, HierarchyLevel, Tier
from testsupport.builders import (
    make_account,
    make_activity,
    make_contact,
    make_contract,
    seed_reference_data,
)

TODAY = datetime.date(2026, 6, 15)


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def reference_data(db):
    seed_reference_data()


def healthy_contract(owner, today=TODAY, **fields):
    """A key account whose renewal shows no signal: a decision maker met recently, an active
    champion, steady revenue, the notice date far off, a negotiated renewal."""
    account = make_account(owner, tier=Tier.KEY_ACCOUNT)
    maker = make_contact(
        account, buying_role=BuyingRole.DECISION_MAKER, hierarchy_level=HierarchyLevel.C_LEVEL
    )
    make_contact(account, buying_role=BuyingRole.CHAMPION)
    activity = make_activity(account, owner, occurred_at=at(today - datetime.timedelta(days=10)))
    activity.contacts.add(maker)
    fields.setdefault("start_on", today - datetime.timedelta(days=200))
    fields.setdefault("end_on", today + datetime.timedelta(days=160))
    fields.setdefault("notice_period_days", 90)
    return make_contract(account, **fields)
