"""The stakeholder map: contacts by level and role, and the coverage gaps it names."""

import datetime

import pytest

from tandem.keyaccounts.selectors import (
    GAP_CHAMPION_INACTIVE,
    GAP_NO_C_LEVEL,
    GAP_NO_DECISION_MAKER,
    GAP_SINGLE_THREADED,
    coverage_gaps,
    stakeholder_contacts,
    stakeholder_map,
)
from tandem.keyaccounts.tests.test_views import client_for
from testsupport.builders import make_account, make_activity, make_contact

NOW = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)


def talk(account, user, *contacts, days_ago: int):
    activity = make_activity(account, user, occurred_at=NOW - datetime.timedelta(days=days_ago))
    activity.contacts.set(contacts)
    return activity


def gaps_of(account):
    return coverage_gaps(stakeholder_contacts(account), NOW)


def test_an_account_without_contacts_has_every_gap_but_the_champion(org):
    account = make_account(org.alice)
    assert gaps_of(account) == [GAP_NO_DECISION_MAKER, GAP_SINGLE_THREADED, GAP_NO_C_LEVEL]


def test_a_well_covered_account_has_no_gap(org):
    account = make_account(org.alice)
    boss = make_contact(account, hierarchy_level="c_level", buying_role="decision_maker")
    fan = make_contact(account, hierarchy_level="manager", buying_role="champion")
    talk(account, org.alice, boss, fan, days_ago=30)
    assert gaps_of(account) == []


def test_a_decision_maker_not_met_recently_is_not_reached(org):
    account = make_account(org.alice)
    boss = make_contact(account, hierarchy_level="c_level", buying_role="decision_maker")
    make_contact(account)
    talk(account, org.alice, boss, days_ago=181)
    assert gaps_of(account) == [GAP_NO_DECISION_MAKER]
    talk(account, org.alice, boss, days_ago=179)
    assert gaps_of(account) == []


def test_a_decision_maker_who_left_is_not_reached_and_does_not_count(org):
    account = make_account(org.alice)
    boss = make_contact(
        account, hierarchy_level="c_level", buying_role="decision_maker", is_active=False
    )
    make_contact(account)
    talk(account, org.alice, boss, days_ago=5)
    assert gaps_of(account) == [GAP_NO_DECISION_MAKER, GAP_SINGLE_THREADED, GAP_NO_C_LEVEL]


def test_a_champion_who_left_is_an_inactive_champion(org):
    account = make_account(org.alice)
    boss = make_contact(account, hierarchy_level="c_level", buying_role="decision_maker")
    fan = make_contact(account, buying_role="champion", is_active=False)
    talk(account, org.alice, boss, fan, days_ago=3)
    assert gaps_of(account) == [GAP_SINGLE_THREADED, GAP_CHAMPION_INACTIVE]


def test_the_map_places_each_contact_by_level_and_role(org):
    account = make_account(org.alice)
    boss = make_contact(account, hierarchy_level="c_level", buying_role="decision_maker")
    user = make_contact(account, hierarchy_level="operational", buying_role="user")
    drawn = stakeholder_map(account, NOW)
    placed = {
        contact.pk: (row["level"], drawn["roles"][i][0])
        for row in drawn["rows"]
        for i, cell in enumerate(row["cells"])
        for contact in cell
    }
    assert placed == {
        boss.pk: ("c_level", "decision_maker"),
        user.pk: ("operational", "user"),
    }


@pytest.mark.parametrize(("persona", "status"), [("alice", 200), ("mona", 200), ("bob", 404)])
def test_the_map_page_is_scoped_like_the_account(org, persona, status):
    account = make_account(org.alice)
    make_contact(account, first_name="Greta", last_name="Berg")
    response = client_for(getattr(org, persona)).get(
        f"/key-accounts/accounts/{account.pk}/stakeholders/"
    )
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Greta Berg" in page
        assert 'data-gap="no_c_level"' in page
