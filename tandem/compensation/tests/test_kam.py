"""A KAM is paid on their portfolio's KPIs from the KAM cockpit (kam_kpis_for)."""

import datetime
from decimal import Decimal

from tandem.accounts.models import Tier
from tandem.compensation.selectors import statement
from tandem.compensation.tests.conftest import curve, plan_for
from tandem.core.periods import Period
from tandem.kam.kpis import kam_kpis_for
from tandem.revenue.models import RevenueLine
from testsupport.builders import make_account, make_product, make_revenue_line

YEAR = Period.parse("2025")


def test_worked_example_for_a_kam(org):
    plan_for(
        org,
        role="kam",
        valid_from=datetime.date(2025, 1, 1),
        variable_target="30000",
        components=[
            {"metric": "account_growth", "weight": 60, "kpi_target": "0.08", **curve()},
            {"metric": "cross_selling", "weight": 40, "kpi_target": "0.5", **curve()},
        ],
    )
    first, second = make_product("P1"), make_product("P2")
    alpha = make_account(org.kim, name="Alpha", tier=Tier.KEY_ACCOUNT)
    beta = make_account(org.kim, name="Beta", tier=Tier.KEY_ACCOUNT)
    for account, product, day, amount in [
        (alpha, first, datetime.date(2024, 3, 1), "100000"),
        (beta, first, datetime.date(2024, 6, 1), "50000"),
        (alpha, first, datetime.date(2025, 3, 1), "80000"),
        (alpha, second, datetime.date(2025, 9, 1), "40000"),
        (beta, first, datetime.date(2025, 6, 1), "45000"),
    ]:
        make_revenue_line(account, product, invoiced_on=day, amount=Decimal(amount))
    # Growth counted from the rows: (165,000 − 150,000) / 150,000 = 10 % → 10 / 8 = 125 %
    # → 1 + 2 × 0.25 = 1.5 → 60 % of 30,000 = 18,000 × 1.5 = 27,000.
    # Cross-selling: Alpha bought a new product, Beta did not: 1 of 2 = 50 % = target →
    # 40 % of 30,000 = 12,000. Total 39,000.
    by_year = {2024: Decimal(0), 2025: Decimal(0)}
    for line in RevenueLine.objects.all():
        by_year[line.invoiced_on.year] += line.amount
    growth = (by_year[2025] - by_year[2024]) / by_year[2024]
    assert growth == Decimal("0.1")
    result = statement(org.kim, YEAR)
    growth_line, cross_line = result.parts[0].lines
    assert growth_line.kpi_value == growth
    assert float(growth_line.kpi_value) == kam_kpis_for(org.kim, YEAR).account_growth
    assert growth_line.attainment == Decimal("1.25")
    assert growth_line.amount == Decimal("27000.00")
    assert cross_line.kpi_value == Decimal("0.5")
    assert cross_line.amount == Decimal("12000.00")
    assert result.payout == Decimal("39000.00")
    assert "10.0 %" in growth_line.sentence and "8.0 %" in growth_line.sentence


def test_a_kam_without_a_renewal_due_gets_nothing_on_renewals_and_is_told(org):
    plan_for(
        org,
        role="kam",
        valid_from=datetime.date(2025, 1, 1),
        components=[{"metric": "renewal_rate", "weight": 100, "kpi_target": "0.9", **curve()}],
    )
    line = statement(org.kim, YEAR).parts[0].lines[0]
    assert line.kpi_value is None
    assert line.amount == 0
    assert "no value for this period" in line.sentence
