"""The renewal-risk fast path the KAM cockpit uses (`risk_scores`) gives every contract the
score, level and signals of `renewal_risks` (which also writes the sentences), on the demo
data: every active contract, on several days."""

import datetime

import pytest

from tandem.accounts.models import Contract, ContractStatus
from tandem.demo.generator import build_demo as build_core_demo
from tandem.demo.renewals import build_demo
from tandem.renewals.selectors import renewal_risks, risk_scores

TODAY = datetime.date(2026, 6, 15)


@pytest.mark.django_db
def test_risk_scores_equal_renewal_risks_on_the_demo_data():
    build_core_demo(scale=1, seed=1, today=TODAY)
    build_demo(TODAY)
    contracts = list(Contract.objects.filter(status=ContractStatus.ACTIVE).order_by("pk"))
    assert len(contracts) > 20
    seen_codes = set()
    for day in (TODAY, TODAY + datetime.timedelta(days=45), TODAY - datetime.timedelta(days=200)):
        slow = renewal_risks(contracts, day)
        fast = risk_scores(contracts, day)
        assert [(r.contract.pk, r.score, r.level) for r in fast] == [
            (r.contract.pk, r.score, r.level) for r in slow
        ]
        assert [sorted(r.codes) for r in fast] == [sorted(f.code for f in r.factors) for r in slow]
        seen_codes |= {code for r in fast for code in r.codes}
    assert len(seen_codes) >= 4  # the data exercise most signals
    assert {r.level for r in risk_scores(contracts, TODAY)} >= {"low", "medium"}
