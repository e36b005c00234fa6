"""Payouts from the cockpit's KPIs: worked examples computed by hand, an independent
computation from the deal rows, pro-rating, personal plans, what-if and visibility."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tandem.compensation.selectors import (
    open_deals_of,
    plans_in_force,
    statement,
    visible_payees,
    what_if,
)
from tandem.compensation.tests.conftest import curve, plan_for, quota, won
from tandem.core.periods import Period
from tandem.kpis.sales import KpiScope, company_kpis
from tandem.pipeline.models import Deal, Stage, StageOutcome
from tandem.pipeline.services import move_deal_to_stage
from tandem.quotas.models import QuotaMetric
from testsupport.builders import make_account, make_deal

Q1 = Period.parse("2026Q1")


@pytest.fixture
def alice_quarter(org):
    """Alice in 2026Q1: quota 100,000 won value and 4 new customers; won 115,000 on three
    accounts, two of them new (the third bought in 2025 already); one deal lost."""
    plan_for(org)
    quota(org.alice, QuotaMetric.WON_VALUE, "100000")
    quota(org.alice, QuotaMetric.NEW_CUSTOMERS, "4")
    old = make_account(org.alice, name="Old customer")
    won(org.alice, "8000", datetime.date(2025, 11, 3), old)
    won(org.alice, "60000", datetime.date(2026, 1, 20))
    won(org.alice, "50000", datetime.date(2026, 2, 10))
    won(org.alice, "5000", datetime.date(2026, 3, 31), old)
    make_deal(
        org.alice,
        make_account(org.alice),
        stage_code="lost",
        value=Decimal("9000"),
        closed_on=datetime.date(2026, 2, 1),
        lost_reason="price",
    )
    return org


def test_worked_example_for_a_rep(alice_quarter):
    org = alice_quarter
    result = statement(org.alice, Q1)
    # By hand: 40,000 a year → 10,000 for the quarter; base 60,000 → 15,000.
    # Won value 115,000 / 100,000 = 115 % → 1 + 2 × 0.15 = 1.3 → 7,000 × 1.3 = 9,100.
    # New customers 2 / 4 = 50 % = the threshold → 0.25 → 3,000 × 0.25 = 750.
    assert result.variable_target == Decimal("10000.00")
    assert result.base == Decimal("15000.00")
    won_line, customers_line = result.parts[0].lines
    assert won_line.kpi_value == Decimal("115000")
    assert won_line.attainment == Decimal("1.15")
    assert won_line.factor == Decimal("1.3")
    assert won_line.amount == Decimal("9100.00")
    assert customers_line.kpi_value == 2
    assert customers_line.factor == Decimal("0.25")
    assert customers_line.amount == Decimal("750.00")
    assert result.payout == Decimal("9850.00")
    assert "above target" in won_line.sentence
    assert "115.0 %" in won_line.sentence


def test_the_statement_uses_the_cockpits_numbers(alice_quarter):
    org = alice_quarter
    cockpit = company_kpis(KpiScope(org.alice, Q1))
    line = statement(org.alice, Q1).parts[0].lines[0]
    assert line.kpi_value == cockpit.won_value
    assert line.kpi_target == cockpit.quota
    assert float(line.attainment) == pytest.approx(cockpit.attainment, abs=1e-4)


def plain_payout(variable_year, weights_curves, attainments, months=3):
    """The payout over plain numbers, independent of the selectors: share of the year,
    weights and the curve written out again."""
    variable = Decimal(variable_year) * months / 12
    total = Decimal(0)
    for (weight, c), attainment in zip(weights_curves, attainments, strict=True):
        if attainment is None or attainment < c["threshold"]:
            factor = Decimal(0)
        elif attainment <= c["target"]:
            factor = c["threshold_payout"] + (1 - c["threshold_payout"]) * (
                attainment - c["threshold"]
            ) / (c["target"] - c["threshold"])
        else:
            factor = 1 + c["accelerator"] * (attainment - c["target"])
        factor = min(factor, c["cap"])
        total += (variable * Decimal(weight) / 100 * factor).quantize(Decimal("0.01"))
    return total


def test_a_manager_is_paid_on_the_team_against_rows_counted_by_hand(org):
    components = [
        {"metric": "won_value", "weight": 60, **curve()},
        {"metric": "new_customers", "weight": 25, **curve()},
        {"metric": "deals_won", "weight": 15, **curve(accelerator="0.5", cap="1.2")},
    ]
    plan_for(org, role="sales_manager", components=components, variable_target="60000")
    quota(org.north, QuotaMetric.WON_VALUE, "150000")
    quota(org.north, QuotaMetric.NEW_CUSTOMERS, "5")
    quota(org.north, QuotaMetric.DEALS_WON, "6")
    days = [datetime.date(2026, 1, d) for d in (5, 9, 14, 22)] + [datetime.date(2026, 3, 2)]
    values = ["32000", "18500", "41000", "7250", "26000"]
    for index, (day, value) in enumerate(zip(days, values, strict=True)):
        won(org.alice if index % 2 else org.mona, value, day)
    won(org.bob, "99000", datetime.date(2026, 2, 2))  # another team: not Mona's
    won(org.alice, "12000", datetime.date(2026, 4, 1))  # next quarter
    # count the team's rows by hand
    rows = [
        d
        for d in Deal.objects.filter(owner__team=org.north, stage__outcome=StageOutcome.WON)
        if Q1.start <= d.closed_on <= Q1.end
    ]
    won_value = sum(d.value for d in rows)
    first_win = {}
    for d in Deal.objects.filter(stage__outcome=StageOutcome.WON).order_by("closed_on"):
        first_win.setdefault(d.account_id, d.closed_on)
    customers = len({d.account_id for d in rows if first_win[d.account_id] == d.closed_on})
    attainments = [
        (won_value / Decimal(150000)).quantize(Decimal("0.0001"), ROUND_HALF_UP),
        (Decimal(customers) / 5).quantize(Decimal("0.0001"), ROUND_HALF_UP),
        (Decimal(len(rows)) / 6).quantize(Decimal("0.0001"), ROUND_HALF_UP),
    ]
    expected = plain_payout(
        "60000", [(c["weight"], {k: c[k] for k in curve()}) for c in components], attainments
    )
    result = statement(org.mona, Q1)
    assert [line.attainment for line in result.parts[0].lines] == attainments
    assert result.payout == expected
    assert result.variable_target == Decimal("15000.00")


def test_no_quota_pays_nothing_and_says_so(org):
    plan_for(org)
    won(org.alice, "5000", datetime.date(2026, 2, 1))
    result = statement(org.alice, Q1)
    assert result.payout == 0
    assert "no target" in result.parts[0].lines[0].sentence


def test_no_plan_no_statement(org):
    result = statement(org.alice, Q1)
    assert not result.has_plan
    assert result.payout == 0


def test_a_plan_change_within_the_quarter_is_prorated(org):
    plan_for(
        org, name="Old", valid_from=datetime.date(2025, 1, 1), valid_to=datetime.date(2026, 2, 28)
    )
    plan_for(
        org,
        name="New",
        valid_from=datetime.date(2026, 3, 1),
        valid_to=None,
        variable_target=Decimal("48000"),
    )
    parts = statement(org.alice, Q1).parts
    assert [p.plan.name for p in parts] == ["Old", "New"]
    assert [p.days for p in parts] == [59, 31]
    # 40,000 / 4 × 59/90 and 48,000 / 4 × 31/90
    assert parts[0].variable == Decimal("6555.56")
    assert parts[1].variable == Decimal("4133.33")


def test_a_personal_plan_overrides_the_role_plan_on_its_days(org):
    plan_for(org, name="Reps")
    plan_for(
        org,
        name="Alice's",
        user=org.alice,
        valid_from=datetime.date(2026, 2, 1),
        valid_to=datetime.date(2026, 2, 28),
    )
    segments = plans_in_force(org.alice, Q1)
    assert sorted((s.plan.name, s.days) for s in segments) == [("Alice's", 28), ("Reps", 62)]
    assert [s.plan.name for s in plans_in_force(org.bob, Q1)] == ["Reps"]


def test_what_if_closing_a_deal_matches_closing_it(alice_quarter):
    org = alice_quarter
    deal = make_deal(org.alice, make_account(org.alice), value=Decimal("20000"))
    assert deal in open_deals_of(org.alice)
    before, after = what_if(org.alice, Q1, deal=deal)
    # By hand: 135 % → 1.7 × 7,000 = 11,900; 3 of 4 new customers = 75 % →
    # 0.25 + 0.75 × 0.5 = 0.625 × 3,000 = 1,875.
    assert before.payout == Decimal("9850.00")
    assert after.payout == Decimal("13775.00")
    assert Deal.objects.get(pk=deal.pk).stage.outcome == StageOutcome.OPEN  # nothing written
    move_deal_to_stage(
        deal,
        Stage.objects.get(code="won"),
        acting_user=org.alice,
        at=datetime.datetime(2026, 3, 30, 12, tzinfo=datetime.UTC),
    )
    assert statement(org.alice, Q1).payout == after.payout


def test_what_if_an_amount(alice_quarter):
    _before, after = what_if(alice_quarter.alice, Q1, amount=Decimal("5000"))
    # 120 % → 1.4 × 7,000 = 9,800 (new customers unchanged: 750)
    assert after.payout == Decimal("10550.00")


def test_who_sees_whose_pay(org):
    assert set(visible_payees(org.alice)) == {org.alice}
    assert set(visible_payees(org.mona)) == {org.mona, org.alice}
    assert set(visible_payees(org.sam)) == {org.sam, org.bob}
    assert set(visible_payees(org.kim)) == {org.kim}
    assert set(visible_payees(org.hanna)) == set(org.everyone)
    assert set(visible_payees(org.otto)) == set(org.everyone)
