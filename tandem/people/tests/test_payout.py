"""Payout-curve arithmetic: worked examples, and properties checked with hypothesis."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.core.errors import DomainError
from tandem.people.payout import PayoutCurve, validate_weights

D = Decimal
STANDARD = dict(
    threshold=D("0.5"), target=D("1"), threshold_payout=D("0.5"), accelerator=D("2"), cap=D("2")
)


@pytest.mark.parametrize(
    ("attainment", "factor"),
    [
        # worked by hand: below 50 % nothing; 50 %→50 %; linear to 100 %→100 %; above target
        # each point pays two; capped at 200 %.
        ("0", "0"),
        ("0.49", "0"),
        ("0.5", "0.5"),
        ("0.75", "0.75"),
        ("0.9", "0.9"),
        ("1", "1"),
        ("1.1", "1.2"),
        ("1.25", "1.5"),
        ("1.5", "2"),
        ("3", "2"),
    ],
)
def test_worked_examples_of_the_standard_curve(attainment, factor):
    assert PayoutCurve(**STANDARD).factor(D(attainment)) == D(factor)


def test_a_curve_with_nothing_at_the_threshold():
    curve = PayoutCurve(
        threshold=D("0.8"),
        target=D("1"),
        threshold_payout=D("0"),
        accelerator=D("1.5"),
        cap=D("1.5"),
    )
    assert curve.factor(D("0.8")) == 0
    assert curve.factor(D("0.9")) == D("0.5")
    assert curve.factor(D("1.2")) == D("1.3")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"accelerator": D("-0.5")}, "accelerator"),
        ({"threshold_payout": D("1.2")}, "threshold_payout"),
        ({"cap": D("0.9")}, "cap"),
        ({"target": D("0.5")}, "target"),
        ({"threshold": D("-0.1")}, "threshold"),
    ],
)
def test_a_decreasing_or_inconsistent_curve_is_refused(change, field):
    with pytest.raises(DomainError) as caught:
        PayoutCurve(**dict(STANDARD, **change))
    assert caught.value.field == field


def test_weights_must_add_up_to_100():
    validate_weights([D(50), D("30"), D("20")])
    with pytest.raises(DomainError, match="90"):
        validate_weights([D(50), D(40)])
    with pytest.raises(DomainError):
        validate_weights([D(110), D(-10)])


decimals = st.decimals(min_value=0, max_value=5, places=3, allow_nan=False, allow_infinity=False)


@st.composite
def curves(draw):
    threshold = draw(st.decimals(min_value=0, max_value=1, places=2))
    target = threshold + draw(st.decimals(min_value="0.01", max_value=1, places=2))
    return PayoutCurve(
        threshold=threshold,
        target=target,
        threshold_payout=draw(st.decimals(min_value=0, max_value=1, places=2)),
        accelerator=draw(st.decimals(min_value=0, max_value=5, places=2)),
        cap=draw(st.decimals(min_value=1, max_value=4, places=2)),
    )


@given(curves(), decimals, decimals)
def test_payout_is_monotone_in_attainment(curve, a, b):
    low, high = min(a, b), max(a, b)
    assert curve.factor(low) <= curve.factor(high)


@given(curves(), decimals)
def test_payout_never_exceeds_the_cap_and_is_never_negative(curve, attainment):
    assert 0 <= curve.factor(attainment) <= curve.cap


@given(curves(), decimals)
def test_nothing_below_the_threshold(curve, attainment):
    if attainment < curve.threshold:
        assert curve.factor(attainment) == 0


@given(curves())
def test_target_pays_exactly_100_percent(curve):
    assert curve.factor(curve.target) == 1
