"""One filter set per list, for the wings' lists: handovers, account plans, upcoming renewals and
quotas list the same rows, in the same order, on the web (page after page), in the API and in
the web's export file, and the same set in `tandem export`, for the same filters and the same
person (tandem/core/filters.py). A bad filter lists nothing and is named by each front door."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from tandem.accountplans.models import AccountPlan
from tandem.accounts.models import Tier
from tandem.keyaccounts.models import Handover, HandoverStatus
from tandem.shell.tests.test_list_parity_people_and_feed import (
    api_items,
    export_ids,
    web_export_ids,
)
from tandem.users.models import Role
from testsupport.builders import make_account, make_user

PAGE = 50  # rows on one web page (core.lists.PAGE_SIZE)


def web_ids(client, path: str, params: dict, attribute: str, section: str) -> list[int]:
    """The ids of the rows (`attribute`) of the page's list (the part from `id="{section}"`
    on), page after page."""
    found, page = [], 1
    while True:
        html = client.get(path, {**params, "page": page}).content.decode()
        listed = html[html.index(f'id="{section}"') :]
        found += [int(pk) for pk in re.findall(rf'<tr {attribute}="(\d+)"', listed)]
        if 'rel="next"' not in listed:
            return found
        page += 1


def check_parity(client, api, user, *, page, endpoint, entity, attribute, section, cases):
    """For each case: web ids == API ids == the web's export file, and the same set from
    `tandem export`; returns how many cases narrowed the list without emptying it."""
    client.force_login(user)
    everything = [item["id"] for item in api_items(api(user), endpoint, {})]
    narrowed = 0
    for params in cases:
        shown = web_ids(client, page, params, attribute, section)
        query = {("ordering" if k == "sort" else k): v for k, v in params.items()}
        assert [item["id"] for item in api_items(api(user), endpoint, query)] == shown, params
        assert web_export_ids(client, page, params) == shown, params
        filters = {k: v for k, v in params.items() if k != "sort"}
        assert sorted(export_ids(entity, user.username, filters)) == sorted(shown), params
        assert set(shown) <= set(everything)
        narrowed += 0 < len(shown) < len(everything)
    return everything, narrowed


# --- handovers ---------------------------------------------------------------------------------


@pytest.fixture
def handovers(org):
    """More handovers than a page holds: from alice's and bob's accounts to kim or kai, in
    every state, proposed on different days, some submitted or decided (the others' dates
    empty)."""
    kai = make_user("kai", Role.KEY_ACCOUNT_MANAGER)
    statuses = list(HandoverStatus.values)
    now = timezone.now()
    made = []
    for i in range(PAGE + 12):
        owner = org.alice if i % 3 else org.bob
        account = make_account(owner, name=f"{'Nord Sued Ost West'.split()[i % 4]} {i:02d}")
        status = statuses[i % len(statuses)]
        handover = Handover.objects.create(
            account=account,
            from_user=owner,
            to_kam=org.kim if i % 4 else kai,
            proposed_by=owner,
            status=status,
            decision_reason="No capacity" if status == HandoverStatus.REJECTED else "",
        )
        # a withdrawn one was withdrawn before or after it was submitted
        unsent = status == HandoverStatus.PROPOSED or (status == "withdrawn" and i % 2)
        submitted = None if unsent else i % 9
        decided = i % 5 if status in ("accepted", "rejected", "withdrawn") else None
        Handover.objects.filter(pk=handover.pk).update(
            created_at=now - datetime.timedelta(days=40 + i % 13, hours=i),
            submitted_at=None if submitted is None else now - datetime.timedelta(days=submitted),
            decided_at=None if decided is None else now - datetime.timedelta(days=decided),
        )
        made.append(handover)
    return made


@pytest.mark.parametrize("username", ["hanna", "kim", "mona"])
def test_handovers_are_the_same_everywhere(client, org, api, handovers, username):
    user = getattr(org, username)
    account = handovers[4].account
    everything, narrowed = check_parity(
        client,
        api,
        user,
        page="/key-accounts/handovers/",
        endpoint="/api/key-accounts/handovers",
        entity="handovers",
        attribute="data-handover",
        section="handover-results",
        cases=[
            {},
            {"status": HandoverStatus.SUBMITTED},
            {"account": account.pk},
            {"sort": "submitted_at"},
            {"sort": "-decided_at"},
            {"sort": "account", "status": HandoverStatus.ACCEPTED},
            {"sort": "-status"},
        ],
    )
    expected = {"hanna": len(handovers), "kim": 46, "mona": 41}[username]
    assert len(everything) == expected
    assert narrowed >= 2


def test_handovers_sort_empty_dates_last_both_ways(client, org, api, handovers):
    for ordering in ["submitted_at", "-submitted_at", "decided_at", "-decided_at"]:
        items = api_items(api(org.hanna), "/api/key-accounts/handovers", {"ordering": ordering})
        dates = [item[ordering.lstrip("-")] for item in items]
        filled = [day for day in dates if day is not None]
        assert dates == filled + [None] * (len(dates) - len(filled)), ordering
        assert filled == sorted(filled, reverse=ordering.startswith("-")), ordering


# --- account plans -----------------------------------------------------------------------------

PLAN_YEAR = 2026


@pytest.fixture
def plans(org):
    """More plans of one year than a page holds, on kim's key accounts and alice's accounts
    (mona sees hers), some also for the years before and after; two key accounts without."""
    made = []
    for i in range(PAGE + 10):
        owner = org.alice if i % 3 == 0 else org.kim
        account = make_account(
            owner, name=f"{'Hafen Berg Tal See'.split()[i % 4]} {i % 17:02d}", tier=Tier.KEY_ACCOUNT
        )
        for year in (
            [PLAN_YEAR]
            + ([PLAN_YEAR - 1] if i % 4 == 0 else [])
            + ([PLAN_YEAR + 1] if i % 5 == 0 else [])
        ):
            made.append(
                AccountPlan.objects.create(
                    account=account,
                    year=year,
                    objectives=f"Grow {i}",
                    growth_target_percent=Decimal(i % 6 * 5),
                )
            )
    for name in ["Ohne Plan A", "Ohne Plan B"]:
        make_account(org.kim, name=name, tier=Tier.KEY_ACCOUNT)
    return made


@pytest.mark.parametrize("username", ["hanna", "kim", "mona"])
def test_account_plans_are_the_same_everywhere(client, org, api, plans, username):
    user = getattr(org, username)
    account = plans[3].account
    everything, narrowed = check_parity(
        client,
        api,
        user,
        page="/key-accounts/plans/",
        endpoint="/api/account-plans/plans",
        entity="account_plans",
        attribute="data-plan",
        section="plan-results",
        cases=[
            {"year": PLAN_YEAR},
            {"year": PLAN_YEAR - 1},
            {"year": PLAN_YEAR, "sort": "-growth_target"},
            {"year": PLAN_YEAR, "sort": "-account"},
            {"year": PLAN_YEAR + 1, "sort": "updated_at"},
            {"year": PLAN_YEAR, "account": account.pk},
        ],
    )
    # a KAM sees the plans of their accounts, a Sales Manager those of their team's accounts
    owners = {"hanna": {org.alice, org.kim}, "kim": {org.kim}, "mona": {org.alice}}[username]
    assert sorted(everything) == sorted(p.pk for p in plans if p.account.owner in owners)
    assert narrowed >= 3
