"""The compensation demo on top of the demo organisation at scale 1, and payouts there
checked against attainment counted from the deal rows."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from tandem.compensation.models import CompensationPlan, SalaryBand
from tandem.compensation.selectors import band_check, statement
from tandem.core.periods import Period
from tandem.demo.compensation import build_demo
from tandem.demo.generator import build_demo as build_core_demo
from tandem.pipeline.models import Deal, StageOutcome
from tandem.quotas.models import Quota, QuotaMetric
from tandem.users.models import Role, User

TODAY = datetime.date(2026, 6, 15)


def test_demo_plans_and_payouts(db):
    build_core_demo(scale=1, seed=1, today=TODAY)
    counts = build_demo(TODAY)
    assert counts["compensation_plans"] == 5
    assert CompensationPlan.objects.filter(user__isnull=True).count() == 4
    assert SalaryBand.objects.count() == 96
    assert build_demo(TODAY) == {"compensation_plans": 0, "salary_bands_added": 0}

    period = Period.parse("2026Q1")
    reps = User.objects.filter(role=Role.SALES_REP, quotas__metric=QuotaMetric.WON_VALUE)
    paid = 0
    for rep in reps.distinct()[:5]:
        result = statement(rep, period)
        assert result.has_plan
        # attainment of won value counted by hand from the rows
        won = sum(
            (
                d.value
                for d in Deal.objects.filter(owner=rep, stage__outcome=StageOutcome.WON)
                if period.start <= d.closed_on <= period.end
            ),
            Decimal(0),
        )
        target = sum(
            (
                q.target
                for q in Quota.objects.filter(user=rep, metric=QuotaMetric.WON_VALUE)
                if q.period_start >= period.start and q.period_end <= period.end
            ),
            Decimal(0),
        )
        line = next(line for line in result.parts[-1].lines if line.metric == "won_value")
        expected = (won / target).quantize(Decimal("0.0001"), ROUND_HALF_UP) if target else None
        assert line.attainment == expected
        paid += result.payout > 0
    assert paid > 0
    demo_rep = User.objects.get(username="rep")
    own = statement(demo_rep, period).parts[0].plan
    assert own.user == demo_rep
    # base pay of every demo plan lies within its band (medium company, any industry)
    for plan in CompensationPlan.objects.all():
        check = band_check(plan)
        assert check.band.minimum <= plan.base_pay <= check.band.maximum, plan
    manager = User.objects.get(username="manager")
    assert statement(manager, period).has_plan
    kam = User.objects.get(username="kam")
    assert statement(kam, Period.parse("2025")).has_plan
