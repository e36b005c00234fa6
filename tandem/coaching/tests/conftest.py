import datetime
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps

from tandem.people.models import DevelopmentGoal
from tandem.users.models import Role
from testsupport.builders import make_account, make_activity, make_deal, make_user

Q1_DAY = datetime.date(2026, 2, 10)


def seed_people_data() -> None:

    import_module("tandem.people.migrations.0002_reference_data").add_reference_data(apps, None)


@pytest.fixture(autouse=True)
def people_data(request):
    names = set(request.fixturenames)
    if {"live_server", "page", "transactional_db"} & names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    else:
        return
    seed_people_data()


@pytest.fixture
def carl(org):
    """A second rep in mona's team North."""
    return make_user("carl", Role.SALES_REP, org.north)


@pytest.fixture
def goal(org):
    return DevelopmentGoal.objects.create(
        person=org.alice, title="Lead a negotiation alone", created_by=org.mona
    )


@pytest.fixture
def q1_deals(org, carl):
    """Closed deals in 2026Q1: alice wins three small ones and loses one, carl wins one big
    one and loses three; bob (team South) wins one. And some activities."""
    account = make_account(org.alice)
    rows = [
        (org.alice, "won", 1000),
        (org.alice, "won", 1200),
        (org.alice, "won", 800),
        (org.alice, "lost", 5000),
        (carl, "won", 10000),
        (carl, "lost", 3000),
        (carl, "lost", 3000),
        (carl, "lost", 3000),
        (org.bob, "won", 7000),
    ]
    for owner, stage, value in rows:
        make_deal(
            owner,
            account,
            stage_code=stage,
            value=Decimal(value),
            created_on=datetime.date(2026, 1, 5),
            closed_on=Q1_DAY,
        )
    for owner, n in ((org.alice, 2), (carl, 4)):
        for _ in range(n):
            make_activity(account, owner)
    return rows
