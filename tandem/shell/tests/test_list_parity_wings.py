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
from testsupport.builders import make_account, make_contract, make_user

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


def check_parity(client, api, user, *, page, endpoint, entity, attribute, section, cases, **more):
    """For each case: web ids == API ids (each item's `key`) == the web's export file, and the
    same set from `tandem export`; returns the API's ids without filters and how many cases
    narrowed the list without emptying it (against the API's list for `every`, if given)."""
    key, every = more.get("key", "id"), more.get("every")
    client.force_login(user)
    everything = [item[key] for item in api_items(api(user), endpoint, {})]
    widest = [item[key] for item in api_items(api(user), endpoint, every)] if every else everything
    narrowed = 0
    for params in cases:
        shown = web_ids(client, page, params, attribute, section)
        query = {("ordering" if k == "sort" else k): v for k, v in params.items()}
        assert [item[key] for item in api_items(api(user), endpoint, query)] == shown, params
        assert web_export_ids(client, page, params) == shown, params
        filters = {k: v for k, v in params.items() if k != "sort"}
        assert sorted(export_ids(entity, user.username, filters)) == sorted(shown), params
        assert set(shown) <= set(widest)
        narrowed += 0 < len(shown) < len(widest)
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


# --- upcoming renewals -------------------------------------------------------------------------


@pytest.fixture
def contracts(org):
    """More active contracts than a page holds, of kim's, alice's and bob's accounts, ended a
    while ago (no outcome yet) up to ending in a year, with notice periods that put some past
    or close to their notice date (the risk scores differ); one renewed contract."""
    today = timezone.localdate()
    made = []
    for i in range(PAGE + 14):
        owner = [org.kim, org.alice, org.bob][i % 3]
        account = make_account(owner, name=f"{'Kern Lind Moor'.split()[i % 3]} {i % 11:02d}")
        made.append(
            make_contract(
                account,
                start_on=today - datetime.timedelta(days=700),
                end_on=today + datetime.timedelta(days=(i * 37) % 420 - 40),
                notice_period_days=[30, 90, 180][i % 3],
                annual_value=Decimal(1000 * (i % 9 + 1)),
            )
        )
    make_contract(
        make_account(org.kim, name="Renewed"),
        start_on=today - datetime.timedelta(days=400),
        end_on=today + datetime.timedelta(days=10),
        status="renewed",
    )
    return made


@pytest.mark.parametrize("username", ["hanna", "kim", "mona"])
def test_upcoming_renewals_are_the_same_everywhere(client, org, api, contracts, username):
    user = getattr(org, username)
    everything, narrowed = check_parity(
        client,
        api,
        user,
        page="/key-accounts/renewals/",
        endpoint="/api/renewals/upcoming",
        entity="renewals",
        attribute="data-contract",
        section="renewals",
        key="contract",
        every={"within_days": 3650},
        cases=[
            {},
            {"within_days": 30},
            {"within_days": 0},
            {"within_days": 3650},
            {"owner": (org.alice if username == "mona" else org.kim).pk},
            {"sort": "-score", "within_days": 3650},
            {"sort": "score"},
            {"sort": "-value", "within_days": 400},
            {"sort": "account"},
        ],
    )
    owners = {"hanna": {org.alice, org.bob, org.kim}, "kim": {org.kim}, "mona": {org.alice}}
    horizon = timezone.localdate() + datetime.timedelta(days=180)
    assert sorted(everything) == sorted(
        c.pk for c in contracts if c.account.owner in owners[username] and c.end_on <= horizon
    )
    assert narrowed >= 3


def test_the_old_horizon_link_lists_what_within_days_lists(client, org, contracts):
    client.force_login(org.hanna)
    for days in [90, 365]:
        old = web_ids(
            client, "/key-accounts/renewals/", {"within": days}, "data-contract", "renewals"
        )
        new = web_ids(
            client, "/key-accounts/renewals/", {"within_days": days}, "data-contract", "renewals"
        )
        assert old == new and old


def test_the_riskiest_renewals_come_first(org, api, contracts):
    items = api_items(api(org.hanna), "/api/renewals/upcoming", {"ordering": "-score"})
    scores = [item["score"] for item in items]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) > 2
