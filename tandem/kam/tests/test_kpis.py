"""KAM KPIs on small hand-built portfolios: renewal rate, stakeholder coverage, renewal risk,
cross-selling, lifetime value, concentration; and who may see whose portfolio."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tandem.accounts.models import BuyingRole, ContractStatus, HierarchyLevel, Tier
from tandem.core.periods import Period
from tandem.kam.kpis import (
    KAM_KPI_KEYS,
    compute,
    concentration,
    expected_lifetime_years,
    kam_kpis_for,
    kams_in_scope,
    may_open_cockpit,
)
from tandem.renewals.selectors import renewal_risks
from tandem.users.models import Role
from testsupport.builders import (
    make_account,
    make_activity,
    make_contact,
    make_contract,
    make_product,
    make_revenue_line,
    make_user,
)

D = datetime.date
TODAY = D(2026, 6, 30)


@pytest.fixture
def key(org):
    """A key account of kim's."""

    def make(name=None, owner=None):
        return make_account(owner or org.kim, name=name, tier=Tier.KEY_ACCOUNT)

    return make


def test_only_key_accounts_the_kam_owns_are_in_the_portfolio(org, key):
    product = make_product()
    mine = key("Mine")
    other_kam = make_user("karl", Role.KEY_ACCOUNT_MANAGER)
    theirs = key("Theirs", owner=other_kam)
    standard = make_account(org.kim, name="Standard")
    for account in [mine, theirs, standard]:
        make_revenue_line(account, product, invoiced_on=D(2026, 2, 1), amount=Decimal(100))
    result = compute([org.kim], Period.parse("2026"), TODAY)
    assert [row.name for row in result.accounts] == ["Mine"]
    assert result.company.revenue == Decimal(100)
    assert result.company.share_of_company_revenue == pytest.approx(1 / 3)


def test_growth_compares_the_same_days_a_year_before_while_the_period_runs(org, key):
    product = make_product()
    account = key()
    for day, amount in [
        (D(2025, 3, 1), 100),  # inside 1 Jan – 30 Jun 2025
        (D(2025, 9, 1), 1000),  # after 30 June 2025: not compared
        (D(2026, 4, 1), 150),
    ]:
        make_revenue_line(account, product, invoiced_on=day, amount=Decimal(amount))
    result = compute([org.kim], Period.parse("2026"), TODAY)
    row = result.accounts[0]
    assert (row.revenue, row.revenue_prior_year) == (Decimal(150), Decimal(100))
    assert row.account_growth == pytest.approx(0.5)
    assert row.revenue_by_year == {2024: 0, 2025: Decimal(1100), 2026: Decimal(150)}
    assert result.window.end == TODAY
    # a period that has not started has no growth
    assert compute([org.kim], Period.parse("2027"), TODAY).company.account_growth is None


def test_renewal_rate_counts_contracts_ending_in_the_period_with_an_outcome(org, key):
    first, second = key("First"), key("Second")
    statuses = [
        (first, ContractStatus.RENEWED, D(2026, 2, 1)),
        (first, ContractStatus.CHURNED, D(2026, 3, 1)),
        (second, ContractStatus.EXPANDED, D(2026, 5, 1)),
        (second, ContractStatus.REDUCED, D(2026, 6, 1)),
        (second, ContractStatus.ACTIVE, D(2026, 11, 1)),  # no outcome yet: not counted
        (second, ContractStatus.CHURNED, D(2025, 6, 1)),  # ended the year before
    ]
    for account, status, end in statuses:
        make_contract(account, start_on=end.replace(year=end.year - 1), end_on=end, status=status)
    kpis = kam_kpis_for(org.kim, Period.parse("2026"), TODAY)
    assert kpis.renewal_rate == pytest.approx(3 / 4)  # renewed, expanded, reduced of 4
    assert kpis.renewals_due == 5
    rows = {r.name: r for r in compute([org.kim], Period.parse("2026"), TODAY).accounts}
    assert rows["First"].renewals_due == 2


def test_stakeholder_coverage_is_the_share_of_accounts_without_gaps(org, key):
    covered, single, nobody = key("Covered"), key("Single"), key("Nobody")
    recent = timezone.now() - datetime.timedelta(days=10)
    boss = make_contact(
        covered, hierarchy_level=HierarchyLevel.C_LEVEL, buying_role=BuyingRole.DECISION_MAKER
    )
    make_contact(covered, buying_role=BuyingRole.USER)
    make_activity(covered, org.kim, occurred_at=recent).contacts.add(boss)
    lone = make_contact(
        single, hierarchy_level=HierarchyLevel.C_LEVEL, buying_role=BuyingRole.DECISION_MAKER
    )
    make_activity(single, org.kim, occurred_at=recent).contacts.add(lone)
    result = compute([org.kim], Period.containing(timezone.localdate(), "year"))
    rows = {r.name: r for r in result.accounts}
    assert rows["Covered"].stakeholder_coverage is True
    assert rows["Single"].coverage_gaps == ["single_threaded"]
    assert set(rows["Nobody"].coverage_gaps) >= {"no_decision_maker_reached", "no_c_level"}
    assert result.company.stakeholder_coverage == pytest.approx(1 / 3)
    assert result.company.accounts_with_gaps == 2
    assert nobody.pk in {r.id for r in result.accounts}


def test_renewal_risk_counts_the_high_risks_of_upcoming_renewals(org, key):
    today = timezone.localdate()
    quiet, later = key("Quiet"), key("Later")
    soon = make_contract(
        quiet, start_on=today - datetime.timedelta(days=300),
        end_on=today + datetime.timedelta(days=20), notice_period_days=30,
    )  # fmt: skip
    make_contract(
        later, start_on=today - datetime.timedelta(days=300),
        end_on=today + datetime.timedelta(days=400),
    )  # fmt: skip
    result = compute([org.kim], Period.containing(today, "year"))
    rows = {r.name: r for r in result.accounts}
    (risk,) = renewal_risks([soon], today)
    assert rows["Quiet"].renewal_risk == risk.level
    assert rows["Quiet"].renewal_risk_score == risk.score
    assert rows["Later"].renewal_risk is None  # ends in 400 days: not upcoming
    assert result.company.renewal_risk == (1 if risk.level == "high" else 0)


def test_cross_selling_needs_a_product_not_bought_in_the_12_months_before(org, key):
    old, new, other = make_product("OLD"), make_product("NEW"), make_product("OTHER")
    loyal, seller, newcomer = key("Loyal"), key("Seller"), key("Newcomer")
    for account in [loyal, seller]:
        make_revenue_line(account, old, invoiced_on=D(2025, 8, 1), amount=Decimal(500))
        make_revenue_line(account, old, invoiced_on=D(2026, 2, 1), amount=Decimal(500))
    make_revenue_line(seller, new, invoiced_on=D(2026, 3, 1), amount=Decimal(300))
    make_revenue_line(seller, new, invoiced_on=D(2026, 3, 2), amount=Decimal(-50))  # a return
    make_revenue_line(seller, other, invoiced_on=D(2026, 4, 1), amount=Decimal(20))
    make_revenue_line(loyal, other, invoiced_on=D(2024, 12, 1), amount=Decimal(70))  # too old
    make_revenue_line(newcomer, new, invoiced_on=D(2026, 3, 1), amount=Decimal(900))
    result = compute([org.kim], Period.parse("2026"), TODAY)
    rows = {r.name: r for r in result.accounts}
    assert rows["Seller"].cross_sell_success is True
    assert rows["Seller"].cross_sell_products == 2
    assert rows["Seller"].cross_sell_revenue == Decimal(270)
    assert rows["Loyal"].cross_sell_success is False
    assert rows["Newcomer"].cross_sell_success is None  # a first purchase is not cross-selling
    assert result.company.cross_sell_success == pytest.approx(1 / 2)
    assert result.company.cross_sell_revenue == Decimal(270)


def test_lifetime_value_uses_the_key_accounts_observed_churn(org, key):
    product = make_product()
    staying, leaving, third = key("Staying"), key("Leaving"), key("Third")
    make_revenue_line(staying, product, invoiced_on=D(2025, 1, 10), amount=Decimal(100))
    make_revenue_line(staying, product, invoiced_on=D(2026, 1, 10), amount=Decimal(4000))
    make_revenue_line(leaving, product, invoiced_on=D(2025, 2, 10), amount=Decimal(800))
    make_revenue_line(third, product, invoiced_on=D(2025, 12, 1), amount=Decimal(1000))
    result = compute([org.kim], Period.parse("2026"), TODAY)
    # base year 1 Jul 2024 – 30 Jun 2025: Staying and Leaving bought; Leaving did not since
    assert result.churn == pytest.approx(0.5)
    assert result.lifetime_years == pytest.approx(2.0)
    rows = {r.name: r for r in result.accounts}
    assert rows["Staying"].customer_lifetime_value == Decimal("8000.00")
    assert rows["Third"].customer_lifetime_value == Decimal("2000.00")
    assert rows["Leaving"].customer_lifetime_value == Decimal("0.00")
    assert result.company.customer_lifetime_value == Decimal("3333.33")
    assert expected_lifetime_years(None) == expected_lifetime_years(0.0) == 10.0
    assert expected_lifetime_years(0.05) == 10.0
    assert expected_lifetime_years(1.0) == 1.0


def test_concentration_by_hand():
    spread = concentration({"a": Decimal(50), "b": Decimal(30), "c": Decimal(20), "d": 0})
    assert spread["top10_share"] == pytest.approx(1.0)
    assert spread["herfindahl_index"] == pytest.approx(0.25 + 0.09 + 0.04)
    assert spread["shares"]["a"] == pytest.approx(0.5)
    spread = concentration({i: Decimal(1) for i in range(20)})
    assert spread["top10_share"] == pytest.approx(0.5)
    assert spread["herfindahl_index"] == pytest.approx(0.05)
    assert concentration({"a": Decimal(-5)})["herfindahl_index"] is None


def test_kam_kpis_for_has_every_key_and_an_empty_portfolio_is_not_an_error(org):
    kpis = kam_kpis_for(org.kim, Period.parse("2026Q1"), TODAY)
    assert list(kpis.figures()) == KAM_KPI_KEYS
    assert kpis.accounts == 0
    assert kpis.revenue == 0
    assert kpis.account_growth is None
    assert kpis.cross_sell_success is None
    assert kpis.renewal_rate is None


def test_who_may_see_whose_portfolio(org):
    karl = make_user("karl", Role.KEY_ACCOUNT_MANAGER, last_name="Aaron")
    assert not may_open_cockpit(org.alice)
    with pytest.raises(PermissionDenied):
        kams_in_scope(org.alice)
    with pytest.raises(PermissionDenied):
        kams_in_scope(org.alice, org.kim)
    assert kams_in_scope(org.kim) == [org.kim]
    with pytest.raises(PermissionDenied):
        kams_in_scope(org.kim, karl)  # a KAM sees only their own portfolio
    assert kams_in_scope(org.mona) == [karl]  # one KAM at a time, the first by name
    assert kams_in_scope(org.mona, org.kim) == [org.kim]
    assert kams_in_scope(org.hanna) == [karl, org.kim]
    assert kams_in_scope(org.otto) == [karl, org.kim]
    with pytest.raises(PermissionDenied):
        kams_in_scope(org.hanna, org.alice)  # not a KAM
