"""The key-account pages, per role."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accountplans.services import create_plan
from tandem.accounts.models import Account, Tier
from tandem.keyaccounts.models import Handover, HandoverStatus, KeyAccountRules
from tandem.keyaccounts.services import (
    accept_handover,
    evaluate_and_store,
    propose_handover,
    submit_handover,
)
from tandem.keyaccounts.tests.conftest import complete_texts
from testsupport.builders import PASSWORD, make_account, make_deal, make_product, make_revenue_line


def client_for(user, language="en") -> Client:
    client = Client(headers={"Accept-Language": language})
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def accounts(org):
    """A strategic account of each rep, and a key account of kim that meets no rule; the
    rules evaluated for them (the day's work)."""
    made = {
        "alice": make_account(org.alice, name="Alpha strategic", is_strategic=True),
        "bob": make_account(org.bob, name="Bravo strategic", is_strategic=True),
        "kim": make_account(org.kim, name="Kilo lapsed", tier=Tier.KEY_ACCOUNT),
    }
    evaluate_and_store()
    return made


def names(response, marker):
    return response.content.decode().count(marker)


@pytest.mark.parametrize(
    ("persona", "candidates", "lapsed"),
    [
        ("alice", {"Alpha strategic"}, set()),
        ("mona", {"Alpha strategic"}, set()),
        ("sam", {"Bravo strategic"}, set()),
        ("kim", {"Alpha strategic", "Bravo strategic"}, {"Kilo lapsed"}),
        ("hanna", {"Alpha strategic", "Bravo strategic"}, {"Kilo lapsed"}),
    ],
)
def test_candidates_are_scoped_per_role(org, accounts, persona, candidates, lapsed):
    response = client_for(getattr(org, persona)).get("/key-accounts/")
    assert response.status_code == 200
    found = {c.account.name for c in response.context["qualifying"]}
    assert found == candidates
    assert {c.account.name for c in response.context["lapsed"]} == lapsed
    assert "marked as strategic" in response.content.decode()


def test_the_owner_sees_propose_and_the_kam_does_not(org, accounts):
    alice_page = client_for(org.alice).get("/key-accounts/").content.decode()
    assert f"/key-accounts/propose/{accounts['alice'].pk}/" in alice_page
    kim_page = client_for(org.kim).get("/key-accounts/").content.decode()
    assert "/key-accounts/propose/" not in kim_page


def test_only_admins_edit_the_rules(org):
    assert client_for(org.mona).get("/key-accounts/rules/").status_code == 403
    client = client_for(org.otto)
    response = client.post(
        "/key-accounts/rules/",
        {
            "won_value_enabled": "on",
            "won_value_threshold": "300000",
            "invoiced_revenue_threshold": "1000000",
            "potential_threshold": "2000000",
            "revenue_share_enabled": "on",
            "revenue_share_percent": "7.5",
            "kam_capacity": "5",
            "handover_overdue_days": "10",
        },
    )
    assert response.status_code == 302, response.content
    rules = KeyAccountRules.current()
    assert rules.won_value_threshold == Decimal("300000")
    assert rules.invoiced_revenue_enabled is False
    assert rules.revenue_share_percent == Decimal("7.5")
    assert rules.kam_capacity == 5


def test_rules_page_refuses_a_share_above_100(org):
    response = client_for(org.otto).post(
        "/key-accounts/rules/",
        {
            "won_value_threshold": "1",
            "invoiced_revenue_threshold": "1",
            "potential_threshold": "1",
            "revenue_share_percent": "150",
            "kam_capacity": "5",
            "handover_overdue_days": "10",
        },
    )
    assert response.status_code == 200
    assert "revenue_share_percent" in response.context["form"].errors


def test_manager_proposes_completes_and_submits_through_the_pages(org, accounts):
    client = client_for(org.mona)
    account = accounts["alice"]
    response = client.post(f"/key-accounts/propose/{account.pk}/", {"to_kam": org.kim.pk})
    handover = Handover.objects.get(account=account)
    assert response.url == f"/key-accounts/handovers/{handover.pk}/"
    page = client.get(response.url)
    assert "marked as strategic" in page.content.decode()
    refused = client.post(response.url, {"customer_needs": "One supplier", "submit": "1"})
    assert "Missing: commitments made, risks" in refused.content.decode()
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.PROPOSED
    client.post(response.url, {**complete_texts(), "submit": "1"})
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.SUBMITTED


def test_a_rep_of_another_team_cannot_propose(org, accounts):
    response = client_for(org.bob).get(f"/key-accounts/propose/{accounts['alice'].pk}/")
    assert response.status_code == 403


def test_kam_inbox_and_acceptance_page(org, accounts):
    account = accounts["alice"]
    make_deal(org.alice, account, name="Open one")
    handover = propose_handover(account, org.kim, acting_user=org.mona)
    submit_handover(handover, acting_user=org.mona, **complete_texts())
    kim = client_for(org.kim)
    inbox = kim.get("/key-accounts/handovers/")
    assert [h.pk for h in inbox.context["to_decide"]] == [handover.pk]
    detail = kim.get(f"/key-accounts/handovers/{handover.pk}/").content.decode()
    assert "Open one" in detail and "Promised a price review" in detail
    assert client_for(org.bob).get(f"/key-accounts/handovers/{handover.pk}/").status_code == 404
    kim.post(f"/key-accounts/handovers/{handover.pk}/accept/")
    assert Account.objects.get(pk=account.pk).owner == org.kim


def test_rejection_without_reason_is_shown_and_changes_nothing(org, accounts):
    handover = propose_handover(accounts["alice"], org.kim, acting_user=org.alice)
    submit_handover(handover, acting_user=org.alice, **complete_texts())
    response = client_for(org.kim).post(
        f"/key-accounts/handovers/{handover.pk}/reject/", {"reason": ""}, follow=True
    )
    assert "Say why you reject the handover." in response.content.decode()
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.SUBMITTED


def test_overdue_handovers_are_flagged_to_both_sides(org, accounts, rules):
    handover = propose_handover(accounts["alice"], org.kim, acting_user=org.alice)
    submit_handover(handover, acting_user=org.alice, **complete_texts())
    Handover.objects.filter(pk=handover.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=rules.handover_overdue_days + 1)
    )
    for user in (org.kim, org.alice):
        page = client_for(user).get("/key-accounts/handovers/")
        assert handover.pk in page.context["overdue_ids"]
        assert "data-overdue" in page.content.decode()


def test_handover_page_shows_revenue_before_and_after(org, accounts):
    account = accounts["alice"]
    product = make_product()
    handover = propose_handover(account, org.kim, acting_user=org.alice)
    submit_handover(handover, acting_user=org.alice, **complete_texts())
    accept_handover(handover, acting_user=org.kim)
    day = timezone.localdate()
    amounts = {
        day - datetime.timedelta(days=400): Decimal("999"),  # older than 12 months
        day - datetime.timedelta(days=30): Decimal("100"),
        day - datetime.timedelta(days=1): Decimal("50"),
        day: Decimal("70"),
        day + datetime.timedelta(days=40): Decimal("30"),
    }
    for invoiced_on, amount in amounts.items():
        make_revenue_line(account, product, invoiced_on=invoiced_on, amount=amount)
    before = sum(a for d, a in amounts.items() if day - datetime.timedelta(days=365) <= d < day)
    after = sum(a for d, a in amounts.items() if day <= d)
    response = client_for(org.kim).get(f"/key-accounts/handovers/{handover.pk}/")
    shown = response.context["before_after"]
    assert (shown["before"], shown["after"]) == (before, after)


def test_conflicts_report(org, accounts, rules):
    key = accounts["kim"]
    make_deal(org.bob, key, name="Foreign deal")
    make_deal(org.kim, key, name="Own deal")
    rules.kam_capacity = 1
    rules.save()
    make_account(org.kim, name="Second key", tier=Tier.KEY_ACCOUNT)
    response = client_for(org.hanna).get("/key-accounts/conflicts/")
    assert [d.name for d in response.context["deals"]] == ["Foreign deal"]
    assert [k.pk for k in response.context["kams_over_capacity"]] == [org.kim.pk]
    # scoped like the accounts each one sees: kim's account, bob's deal, nothing of alice's
    for user, expected in (
        (org.kim, ["Foreign deal"]),
        (org.bob, ["Foreign deal"]),
        (org.alice, []),
    ):
        deals = client_for(user).get("/key-accounts/conflicts/").context["deals"]
        assert [d.name for d in deals] == expected, user


def test_key_accounts_without_a_plan_this_year(org, accounts):
    """A conflict until the key account has a plan for the current year; a plan of another
    year does not count. Scoped like the plans: kim and the Head of Sales see it, a rep not."""

    key = accounts["kim"]
    this_year = timezone.localdate().year
    create_plan(key, this_year - 1, acting_user=org.kim, objectives="Old", growth_target_percent=5)
    hanna = client_for(org.hanna).get("/key-accounts/conflicts/")
    assert [a.pk for a in hanna.context["without_plan"]] == [key.pk]
    assert f'data-without-plan="{key.pk}"' in hanna.content.decode()
    assert [
        a.pk for a in client_for(org.kim).get("/key-accounts/conflicts/").context["without_plan"]
    ] == [key.pk]
    assert client_for(org.alice).get("/key-accounts/conflicts/").context["without_plan"] == []
    create_plan(key, this_year, acting_user=org.kim, objectives="Now", growth_target_percent=5)
    assert client_for(org.hanna).get("/key-accounts/conflicts/").context["without_plan"] == []
    german = client_for(org.hanna, "de").get("/key-accounts/conflicts/").content.decode()
    assert f"Key Accounts ohne Plan für {this_year}" in german


def test_the_previous_owner_keeps_deals_without_conflict(org, accounts):
    account = accounts["alice"]
    make_deal(org.alice, account, name="Alice keeps it")
    handover = propose_handover(account, org.kim, acting_user=org.alice)
    submit_handover(handover, acting_user=org.alice, **complete_texts())
    accept_handover(handover, acting_user=org.kim)
    response = client_for(org.hanna).get("/key-accounts/conflicts/")
    assert "Alice keeps it" not in [d.name for d in response.context["deals"]]


def test_pages_speak_german(org, accounts):
    page = client_for(org.hanna, "de").get("/key-accounts/").content.decode()
    assert "Kandidaten" in page
    assert "als strategisch markiert" in page


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["hanna", "mona", "kim"])
@pytest.mark.parametrize("url", ["/key-accounts/", "/key-accounts/handovers/"])
def test_lists_need_the_same_queries_for_more_rows(org, url, persona):
    """No query per row: ten times the candidates and handovers cost no extra query."""
    client = client_for(getattr(org, persona))

    def add(n):
        for _ in range(n):
            account = make_account(org.alice, is_strategic=True, revenue_potential=Decimal("9e6"))
            propose_handover(account, org.kim, acting_user=org.alice)
        evaluate_and_store()  # the candidates list reads the stored evaluation

    add(2)
    few = count_queries(client, url)
    add(20)
    assert count_queries(client, url) == few


def test_rules_page_reads_german_amounts(org):
    client = client_for(org.otto, "de")
    page = client.get("/key-accounts/rules/").content.decode()
    assert 'value="1000000,00"' in page
    response = client.post(
        "/key-accounts/rules/",
        {
            "won_value_threshold": "300000,50",
            "invoiced_revenue_threshold": "1000000",
            "potential_threshold": "2000000",
            "revenue_share_percent": "7,5",
            "kam_capacity": "5",
            "handover_overdue_days": "10",
        },
    )
    assert response.status_code == 302, response.content
    rules = KeyAccountRules.current()
    assert rules.won_value_threshold == Decimal("300000.50")
    assert rules.revenue_share_percent == Decimal("7.5")


def test_the_handover_list_filters_by_status_in_german(org, accounts):
    proposed = propose_handover(accounts["alice"], org.kim, acting_user=org.alice)
    submitted = propose_handover(accounts["bob"], org.kim, acting_user=org.bob)
    submit_handover(submitted, acting_user=org.bob, **complete_texts())
    client = client_for(org.hanna, "de")
    page = client.get("/key-accounts/handovers/", {"status": "submitted"}).content.decode()
    listed = page[page.index('id="handover-results"') :]
    assert f'data-handover="{submitted.pk}"' in listed
    assert f'data-handover="{proposed.pk}"' not in listed
    assert ">Filtern</button>" in page and "Alle Status" in page
    bad = client.get("/key-accounts/handovers/", {"status": "lost"})
    assert "data-handover=" not in bad.content.decode().split('id="handover-results"')[1]
    assert "status" in bad.context["filters"].errors
