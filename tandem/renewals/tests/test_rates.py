"""Renewal rates against an independent count over the rows, and who sees which."""

import datetime
import random
from decimal import Decimal

from tandem.accounts.models import Contract, ContractStatus
from tandem.core.periods import Period
from tandem.renewals.selectors import rate_trend, renewal_rate, renewal_rates
from tandem.users.models import Role
from testsupport.builders import make_account, make_contract, make_user

START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)


def build_random_book(org):
    """Contracts of two KAMs and a rep, ending in and around 2025, with random outcomes."""
    rng = random.Random(7)
    kira = make_user("kira", Role.KEY_ACCOUNT_MANAGER)
    owners = [org.kim, kira, org.alice]
    statuses = [s.value for s in ContractStatus]
    for owner in owners:
        for _ in range(3):
            account = make_account(owner)
            for _ in range(rng.randint(2, 6)):
                end = datetime.date(2024, 10, 1) + datetime.timedelta(days=rng.randint(0, 540))
                make_contract(
                    account,
                    start_on=end - datetime.timedelta(days=365),
                    end_on=end,
                    annual_value=Decimal(rng.randint(1, 100) * 1000),
                    status=rng.choice(statuses),
                )
    return kira


def count_by_hand(owner_ids=None):
    due = kept = churned = 0
    for contract in Contract.objects.select_related("account"):
        if not START <= contract.end_on <= END:
            continue
        if owner_ids is not None and contract.account.owner_id not in owner_ids:
            continue
        due += 1
        if contract.status in ("renewed", "expanded", "reduced"):
            kept += 1
        elif contract.status == "churned":
            churned += 1
    return due, kept, churned


def test_rates_per_kam_match_an_independent_count(org):
    kira = build_random_book(org)
    found = renewal_rates(org.hanna, START, END)
    assert [row.owner for row in found["rows"]] == sorted(
        [org.kim, kira], key=lambda u: (u.last_name, u.first_name, u.pk)
    )
    for row in found["rows"]:
        due, kept, churned = count_by_hand({row.owner.pk})
        assert row.due == due
        assert row.churned == churned
        assert row.pending == due - kept - churned
        assert row.rate == (kept / (kept + churned) if kept + churned else None)
    due, kept, churned = count_by_hand()
    assert found["total"].due == due
    assert found["total"].rate == kept / (kept + churned)


def test_renewal_rate_on_a_queryset_and_a_list_agree(org):
    build_random_book(org)
    contracts = Contract.objects.filter(end_on__range=(START, END))
    _due, kept, churned = count_by_hand()
    assert renewal_rate(contracts) == kept / (kept + churned)
    assert renewal_rate(list(contracts)) == renewal_rate(contracts)


def test_renewal_rate_without_outcomes_is_none(org):
    contract = make_contract(make_account(org.kim))
    assert renewal_rate([contract]) is None
    assert renewal_rate(Contract.objects.none()) is None
    assert renewal_rate([]) is None


def test_churn_counts_against(org):
    account = make_account(org.kim)
    for status in ["renewed", "expanded", "reduced", "churned", "active"]:
        make_contract(account, status=status)
    assert renewal_rate(Contract.objects.all()) == 0.75


def test_each_role_sees_its_own_rows(org):
    kira = build_random_book(org)
    kim_view = renewal_rates(org.kim, START, END)
    assert [row.owner for row in kim_view["rows"]] == [org.kim]
    assert kim_view["total"].due == count_by_hand({org.kim.pk})[0]
    # mona's team is alice: no KAM rows, alice's contracts in the total
    mona_view = renewal_rates(org.mona, START, END)
    assert mona_view["rows"] == []
    assert mona_view["total"].due == count_by_hand({org.alice.pk})[0]
    assert renewal_rates(org.sam, START, END)["total"].due == 0
    assert {row.owner for row in renewal_rates(org.otto, START, END)["rows"]} == {org.kim, kira}


def test_trend_per_period_matches_the_rates_and_a_count(org):
    build_random_book(org)
    periods = [Period.parse(code) for code in ["2024Q4", "2025Q1", "2025Q2", "2025Q3", "2026Q1"]]
    trend = rate_trend(org.kim, periods)
    assert [t["period"] for t in trend] == [p.code for p in periods]
    for period, point in zip(periods, trend, strict=True):
        expected = renewal_rates(org.kim, period.start, period.end)["total"].as_dict()
        assert point == {"period": period.code, **expected}
        mine = [
            c
            for c in Contract.objects.select_related("account")
            if c.account.owner_id == org.kim.pk and period.start <= c.end_on <= period.end
        ]
        assert point["due"] == len(mine)
        assert point["churned"] == sum(1 for c in mine if c.status == "churned")
