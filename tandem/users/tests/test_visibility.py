"""Every role against every model: who sees which rows.

The expected sets are written out by hand from the rules in DESIGN.md, not derived from the
selectors: a rep sees their own deals and the accounts they own or work deals on; a Sales Manager
their team's; a KAM their accounts, everything under them and the deals there; Head of Sales and
admins everything.
"""

import datetime

import pytest

from tandem.accounts.models import Tier
from tandem.accounts.selectors import visible_accounts, visible_contacts, visible_contracts
from tandem.activities.selectors import visible_activities
from tandem.catalog.selectors import visible_products
from tandem.pipeline.models import Stage
from tandem.pipeline.selectors import visible_deals, visible_stage_changes
from tandem.pipeline.services import move_deal_to_stage
from tandem.quotas.models import Quota
from tandem.quotas.selectors import visible_quotas
from tandem.revenue.selectors import visible_revenue_lines
from testsupport.builders import (
    make_account,
    make_activity,
    make_contact,
    make_contract,
    make_deal,
    make_product,
    make_revenue_line,
)

ALL_ACCOUNTS = {"A1", "B1", "K", "KS", "KSS"}
ALL_DEALS = {"D1", "D2", "D3", "D4", "DU"}

EXPECTED_ACCOUNTS = {
    "alice": {"A1", "K", "KSS"},  # owns A1 and KSS, works deal D3 on K
    "bob": {"B1", "KS"},
    "mona": {"A1", "K", "KSS"},  # alice's manager
    "sam": {"B1", "KS"},  # bob's manager
    "kim": {"K", "KS", "KSS"},  # owns K and sees its subsidiaries down the tree
    "hanna": ALL_ACCOUNTS,
    "otto": ALL_ACCOUNTS,
}
EXPECTED_DEALS = {
    "alice": {"D1", "D3", "DU"},
    "bob": {"D2", "D4"},
    "mona": {"D1", "D3", "DU"},
    "sam": {"D2", "D4"},
    "kim": {"D3", "D4"},  # deals on her accounts, whoever owns them
    "hanna": ALL_DEALS,
    "otto": ALL_DEALS,
}
PEOPLE = list(EXPECTED_ACCOUNTS)


@pytest.fixture
def world(org):
    accounts = {
        "A1": make_account(org.alice, "A1"),
        "B1": make_account(org.bob, "B1"),
        "K": make_account(org.kim, "K", tier=Tier.KEY_ACCOUNT),
    }
    accounts["KS"] = make_account(org.bob, "KS", parent=accounts["K"])
    accounts["KSS"] = make_account(org.alice, "KSS", parent=accounts["KS"])
    deals = {
        "D1": make_deal(org.alice, accounts["A1"], name="D1"),
        "D2": make_deal(org.bob, accounts["B1"], name="D2"),
        "D3": make_deal(org.alice, accounts["K"], name="D3"),
        "D4": make_deal(org.bob, accounts["KS"], name="D4"),
        "DU": make_deal(org.alice, None, name="DU"),
    }
    product = make_product("WIDGET")
    for name, account in accounts.items():
        make_contact(account, last_name=name)
        make_contract(account, name=name)
        make_activity(account, account.owner, subject=name)
        make_revenue_line(account, product, amount=1)
    # kim logged a call on an account she cannot see: she still sees her own activity
    make_activity(accounts["B1"], org.kim, subject="kim-on-B1")
    for deal in deals.values():
        move_deal_to_stage(deal, Stage.objects.get(code="qualifying"), acting_user=deal.owner)
    return accounts, deals


def names(queryset, field):
    return set(queryset.values_list(field, flat=True))


@pytest.mark.parametrize("person", PEOPLE)
def test_accounts_are_scoped_by_role(org, world, person):
    user = getattr(org, person)
    assert names(visible_accounts(user), "name") == EXPECTED_ACCOUNTS[person]


@pytest.mark.parametrize("person", PEOPLE)
def test_deals_and_their_history_are_scoped_by_role(org, world, person):
    user = getattr(org, person)
    assert names(visible_deals(user), "name") == EXPECTED_DEALS[person]
    assert names(visible_stage_changes(user), "deal__name") == EXPECTED_DEALS[person]


@pytest.mark.parametrize("person", PEOPLE)
def test_contacts_contracts_and_revenue_follow_the_accounts(org, world, person):
    user = getattr(org, person)
    expected = EXPECTED_ACCOUNTS[person]
    assert names(visible_contacts(user), "last_name") == expected
    assert names(visible_contracts(user), "name") == expected
    assert names(visible_revenue_lines(user), "account__name") == expected


@pytest.mark.parametrize("person", PEOPLE)
def test_activities_follow_the_accounts_plus_what_one_logged(org, world, person):
    user = getattr(org, person)
    expected = set(EXPECTED_ACCOUNTS[person])
    if "B1" in expected or person == "kim":  # on B1, and logged by kim
        expected.add("kim-on-B1")
    assert names(visible_activities(user), "subject") == expected


@pytest.mark.parametrize("person", PEOPLE)
def test_every_colleague_sees_the_product_catalogue(org, world, person):
    assert names(visible_products(getattr(org, person)), "code") == {"WIDGET"}


def test_quotas_are_seen_by_the_person_their_manager_and_the_head_of_sales(org, db):
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)
    Quota.objects.create(
        user=org.alice,
        metric="won_value",
        period_kind="quarter",
        period_start=start,
        period_end=end,
        target=100,
    )
    Quota.objects.create(
        team=org.south,
        metric="won_value",
        period_kind="quarter",
        period_start=start,
        period_end=end,
        target=500,
    )
    assert visible_quotas(org.alice).count() == 1
    assert visible_quotas(org.mona).count() == 1
    assert visible_quotas(org.bob).count() == 1  # his team's quota
    assert visible_quotas(org.sam).count() == 1
    assert visible_quotas(org.kim).count() == 0
    assert visible_quotas(org.hanna).count() == 2
