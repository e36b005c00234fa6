"""Properties of whole statements (the curve itself has its own in tandem/people/tests):
more won value never pays less, never more than the caps allow, and the statement adds up
to the plan-level sum worked out here independently, within a cent per component."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.compensation.selectors import what_if
from tandem.compensation.tests.conftest import plan_for, quota, won
from tandem.core.periods import Period
from tandem.people.payout import PayoutCurve
from tandem.quotas.models import QuotaMetric

Q1 = Period.parse("2026Q1")
AMOUNTS = st.decimals(min_value=0, max_value=400000, places=2, allow_nan=False)


@pytest.fixture
def alice(org):
    plan_for(org)
    quota(org.alice, QuotaMetric.WON_VALUE, "100000")
    quota(org.alice, QuotaMetric.NEW_CUSTOMERS, "4")
    won(org.alice, "30000", datetime.date(2026, 1, 10))
    return org.alice


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=AMOUNTS, second=AMOUNTS)
def test_more_won_value_never_pays_less_and_never_above_the_caps(alice, first, second):
    low, high = sorted([first, second])
    _before, at_low = what_if(alice, Q1, amount=low)
    _before, at_high = what_if(alice, Q1, amount=high)
    assert at_low.payout <= at_high.payout
    ceiling = sum(
        (line.share * line.curve["cap"] for part in at_high.parts for line in part.lines),
        Decimal(0),
    )
    assert at_high.payout <= ceiling + Decimal("0.01")
    for part in at_high.parts:
        components = [(line.weight, _curve(line), line.attainment) for line in part.lines]
        expected = plan_payout(part.variable, components)
        assert abs(part.payout - expected) <= Decimal("0.01") * len(part.lines)


def _curve(line):
    return PayoutCurve(**line.curve)


def plan_payout(variable: Decimal, components: list[tuple[Decimal, PayoutCurve, Decimal]]):
    """For each component (weight in %, curve, attainment) its share of the variable pay times
    the curve's factor; the sum rounded to cents."""
    total = sum(
        (
            variable * weight / 100 * curve.factor(attainment)
            for weight, curve, attainment in components
        ),
        Decimal(0),
    )
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
