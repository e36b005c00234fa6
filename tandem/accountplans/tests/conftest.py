import datetime
from decimal import Decimal

import pytest
from django.test import Client

from tandem.accountplans.services import add_action, create_plan
from tandem.accounts.models import Tier
from testsupport.builders import (
    PASSWORD,
    make_account,
    make_contact,
    make_contract,
    make_deal,
    make_product,
    make_revenue_line,
)

YEAR = 2026


def client_for(user, language="en") -> Client:
    client = Client(headers={"Accept-Language": language})
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def products(db):
    return {
        "pump": make_product("PUMP", name="Pump 300"),
        "valve": make_product("VALVE", name="Valve V2"),
        "sensor": make_product("SENSOR", name="Sensor S1"),
        "drive": make_product("DRIVE", name="Drive D9"),
    }


@pytest.fixture
def key_account(org, products):
    """kim's key account "Hafenwerk Nord": revenue over two years, open deals (one of alice,
    so mona sees it), contacts and a contract ending soon."""
    account = make_account(org.kim, name="Hafenwerk Nord", tier=Tier.KEY_ACCOUNT)
    amounts = {
        # (year, month): (pump, valve)
        (2025, 1): ("1000.00", "200.00"),
        (2025, 5): ("1500.00", "0"),
        (2025, 8): ("700.00", "300.00"),
        (2025, 11): ("900.00", "0"),
        (2026, 2): ("1200.00", "250.00"),
        (2026, 4): ("1800.00", "0"),
        (2026, 6): ("400.50", "120.25"),
        (2026, 9): ("2100.00", "0"),
    }
    for (year, month), (pump, valve) in amounts.items():
        day = datetime.date(year, month, 15)
        make_revenue_line(account, products["pump"], invoiced_on=day, amount=Decimal(pump))
        if Decimal(valve):
            make_revenue_line(account, products["valve"], invoiced_on=day, amount=Decimal(valve))
    make_deal(
        org.kim, account, name="Sensor rollout", value=Decimal("40000"), product=products["sensor"]
    )
    make_deal(org.alice, account, name="Spare pumps", value=Decimal("5500"), stage_code="proposal")
    make_contact(
        account,
        first_name="Greta",
        last_name="Berg",
        hierarchy_level="c_level",
        buying_role="decision_maker",
    )
    make_contract(
        account,
        name="Frame contract",
        start_on=datetime.date(2024, 1, 1),
        end_on=datetime.date(2026, 11, 30),
        annual_value=Decimal("60000"),
    )
    make_contract(
        account,
        name="Far away",
        start_on=datetime.date(2024, 1, 1),
        end_on=datetime.date(2028, 12, 31),
        annual_value=Decimal("1000"),
    )
    return account


@pytest.fixture
def plan(org, key_account, products):
    plan = create_plan(
        key_account,
        YEAR,
        acting_user=org.kim,
        objectives="Grow the service business.",
        growth_target_percent=Decimal("12.5"),
        risks="A competitor courts their CFO.",
        whitespace=[products["sensor"], products["drive"]],
        review_dates=[datetime.date(2026, 3, 31), datetime.date(2026, 9, 30)],
    )
    add_action(
        plan,
        acting_user=org.kim,
        title="Sensor pilot",
        function="product",
        owner=org.kim,
        due_on=datetime.date(2026, 5, 1),
    )
    add_action(
        plan,
        acting_user=org.kim,
        title="Service contract offer",
        function="service",
        owner=org.alice,
        due_on=datetime.date(2026, 12, 1),
        status="in_progress",
    )
    return plan
