"""Payout-curve arithmetic for variable compensation (the start of issue 5's pay part).

A curve turns attainment (1 = 100 % of target) into a payout factor (1 = 100 % of the variable
target):

    attainment < threshold              → 0
    threshold ≤ attainment ≤ target     → straight line from threshold_payout to 1
    attainment > target                 → 1 + accelerator × (attainment − target)
    always                              → at most cap

Plain Decimal arithmetic, no database: the compensation plans check and draw their curves with it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from tandem.core.errors import DomainError

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class PayoutCurve:
    threshold: Decimal  # attainment below which nothing is paid, e.g. 0.5
    target: Decimal  # attainment that pays 100 %, e.g. 1
    threshold_payout: Decimal  # factor paid at the threshold, 0 to 1, e.g. 0.5
    accelerator: Decimal  # extra factor per unit of attainment above target, e.g. 2
    cap: Decimal  # the highest factor, at least 1, e.g. 2

    def __post_init__(self):
        validate_curve(self)

    def factor(self, attainment: Decimal) -> Decimal:
        attainment = Decimal(attainment)
        if attainment < self.threshold:
            return Decimal(0)
        if attainment <= self.target:
            span = self.target - self.threshold
            share = (attainment - self.threshold) / span
            factor = self.threshold_payout + (1 - self.threshold_payout) * share
        else:
            factor = 1 + self.accelerator * (attainment - self.target)
        return min(factor, self.cap)


def validate_curve(curve: PayoutCurve) -> None:
    """Refuse a curve that could pay less for more attainment, or more than its cap."""
    if curve.threshold < 0:
        raise DomainError(_("The threshold cannot be negative."), field="threshold")
    if curve.target <= curve.threshold:
        raise DomainError(_("The target must lie above the threshold."), field="target")
    if not 0 <= curve.threshold_payout <= 1:
        raise DomainError(
            _("The payout at the threshold must lie between 0 % and 100 %."),
            field="threshold_payout",
        )
    if curve.accelerator < 0:
        raise DomainError(
            _("The accelerator cannot be negative: the curve would decrease above target."),
            field="accelerator",
        )
    if curve.cap < 1:
        raise DomainError(_("The cap must be at least 100 %."), field="cap")


def validate_weights(weights: list[Decimal]) -> None:
    """The weights of a plan's components (in percent) must add up to exactly 100."""
    if any(Decimal(weight) <= 0 for weight in weights):
        raise DomainError(_("Every component needs a weight above 0 %."), field="weights")
    total = sum((Decimal(weight) for weight in weights), Decimal(0))
    if total != HUNDRED:
        raise DomainError(
            _("The weights add up to {total} %, not 100 %.").format(
                total=format(total.normalize(), "f")
            ),
            field="weights",
        )
