"""One filter set per list, for the wings' lists: handovers, account plans, upcoming renewals and
quotas list the same rows, in the same order, on the web (page after page), in the API and in
the web's export file, and the same set in `tandem export`, for the same filters and the same
person (tandem/core/filters.py). A bad filter lists nothing and is named by each front door."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from tandem.accountplans.models import AccountPlan
from tandem.accounts.models import Tier
from tandem.core.periods import Period
from tandem.keyaccounts.models import Handover, HandoverStatus
from tandem.quotas.models import Quota, QuotaMetric
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


# --- quotas ------------------------------------------------------------------------------------


@pytest.fixture
def quotas(org):
    """This year's quotas: monthly ones of alice and bob, quarterly ones of both teams, for
    every metric, more than a page of them; and one of alice for next year."""
    year = timezone.localdate().year
    periods = [Period.parse(f"{year}-{month:02d}") for month in range(1, 13)]
    quarters = [Period.parse(f"{year}Q{quarter}") for quarter in range(1, 5)]
    made = []
    for whom, spans in [
        ({"user": org.alice}, periods),
        ({"user": org.bob}, periods),
        ({"team": org.north}, quarters),
        ({"team": org.south}, quarters),
    ]:
        for i, period in enumerate(spans):
            for metric in QuotaMetric.values:
                made.append(
                    Quota.objects.create(
                        **whom,
                        metric=metric,
                        period_kind=period.kind,
                        period_start=period.start,
                        period_end=period.end,
                        target=Decimal(100 * ((i * 7) % 5 + 1)),
                    )
                )
    following = Period.parse(str(year + 1))
    made.append(
        Quota.objects.create(
            user=org.alice,
            metric=QuotaMetric.WON_VALUE,
            period_kind=following.kind,
            period_start=following.start,
            period_end=following.end,
            target=Decimal(999),
        )
    )
    return made


def quota_lines(username: str, *args: str) -> list[str]:
    out = io.StringIO()
    call_command("quota", "list", "--user", username, *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.parametrize("username", ["hanna", "mona", "bob"])
def test_quotas_are_the_same_everywhere(client, org, api, quotas, username):
    user = getattr(org, username)
    year = timezone.localdate().year
    cases = [
        {"period": str(year)},
        {"period": f"{year}Q2"},
        {"period": f"{year}-03"},
        {"period": str(year + 1)},
        {"period": str(year), "metric": QuotaMetric.DEALS_WON},
        {"period": str(year), "sort": "-target"},
        {"period": f"{year}Q1", "sort": "metric"},
    ]
    everything, narrowed = check_parity(
        client,
        api,
        user,
        page="/sales/quotas/",
        endpoint="/api/kpis/quotas",
        entity="quotas",
        attribute="data-quota",
        section="quota-results",
        cases=cases,
    )
    # a manager sees their team's and their reps' quotas, a rep their own and their team's
    sees = {
        "hanna": lambda q: True,
        "mona": lambda q: q.user == org.alice or q.team == org.north,
        "bob": lambda q: q.user == org.bob or q.team == org.south,
    }[username]
    assert sorted(everything) == sorted(q.pk for q in quotas if sees(q))
    assert narrowed >= 4
    # `tandem quota list` lists them in the same order
    for params in cases:
        if "sort" not in params:
            args = [f"--{name}={value}" for name, value in params.items()]
            listed = [
                (q["metric"], q["period"], str(Decimal(q["target"])))
                for q in api_items(api(user), "/api/kpis/quotas", params)
            ]
            lines = [tuple(line.split("  ")[1:]) for line in quota_lines(username, *args)]
            assert lines == listed, params


# --- invalid filters ---------------------------------------------------------------------------


def refused(api_client, path: str, params: dict) -> list:
    """The `loc` of each problem of a 422 answer."""
    response = api_client.get(path, params)
    assert response.status_code == 422, (path, params, response.content)
    return [problem["loc"] for problem in response.json()["detail"]]


@pytest.mark.parametrize(
    ("page", "endpoint", "entity", "attribute", "section", "bad"),
    [
        (
            "/key-accounts/handovers/",
            "/api/key-accounts/handovers",
            "handovers",
            "data-handover",
            "handover-results",
            [{"status": "lost"}, {"account": "abc"}],
        ),
        (
            "/key-accounts/plans/",
            "/api/account-plans/plans",
            "account_plans",
            "data-plan",
            "plan-results",
            [{"year": "1999"}, {"year": "2101"}, {"year": "soon"}],
        ),
        (
            "/key-accounts/renewals/",
            "/api/renewals/upcoming",
            "renewals",
            "data-contract",
            "renewals",
            [{"within_days": "-1"}, {"within_days": "3651"}, {"owner": "abc"}],
        ),
        (
            "/sales/quotas/",
            "/api/kpis/quotas",
            "quotas",
            "data-quota",
            "quota-results",
            [{"period": "2026Q5"}, {"period": "soon"}, {"metric": "revenue"}],
        ),
    ],
)
def test_a_bad_filter_lists_nothing_and_is_named_by_each_front_door(
    client,
    org,
    api,
    handovers,
    plans,
    contracts,
    quotas,
    page,
    endpoint,
    entity,
    attribute,
    section,
    bad,
):
    client.force_login(org.hanna)
    for params in bad:
        (name,) = params
        response = client.get(page, params)
        assert response.status_code == 200
        assert name in response.context["filters"].errors, params
        html = response.content.decode()
        assert 'class="form-errors"' in html
        assert f"<tr {attribute}=" not in html[html.index(f'id="{section}"') :], params
        assert refused(api(org.hanna), endpoint, params) == [["query", name]]
        with pytest.raises(Exception, match=name):
            export_ids(entity, "hanna", params)
    assert refused(api(org.hanna), endpoint, {"ordering": "colour"}) == [["query", "ordering"]]


def test_a_renewal_owner_one_does_not_see_is_refused(client, org, api, contracts):
    # mona sees alice's contracts only: kim is no owner she may pick
    assert refused(api(org.mona), "/api/renewals/upcoming", {"owner": org.kim.pk}) == [
        ["query", "owner"]
    ]
    client.force_login(org.mona)
    response = client.get("/key-accounts/renewals/", {"owner": org.kim.pk})
    assert "owner" in response.context["filters"].errors


def test_a_bad_period_is_named_in_the_api_and_on_the_command_line(org, api, quotas):
    problem = api(org.hanna).get("/api/kpis/quotas", {"period": "2026Q5"}).json()["detail"][0]
    assert "2026Q5" in problem["msg"] and "quarter" in problem["msg"]
    with pytest.raises(Exception, match="2026Q5"):
        quota_lines("hanna", "--period", "2026Q5")
    german = api(org.hanna, "de").get("/api/renewals/upcoming", {"within_days": "4000"})
    assert "3650" in german.json()["detail"][0]["msg"]
