"""The renewal demo rows on top of the demo organisation at scale 1."""

import datetime

from tandem.accounts.models import Contract, ContractStatus
from tandem.demo.generator import build_demo as build_core_demo
from tandem.demo.renewals import build_demo
from tandem.renewals.selectors import renewal_rates, upcoming_renewals
from tandem.users.models import User

TODAY = datetime.date(2026, 6, 15)


def test_demo_links_the_chains_and_records_who_decided(db):
    build_core_demo(scale=1, seed=1, today=TODAY)
    counts = build_demo(TODAY)
    decided = Contract.objects.filter(end_on__lte=TODAY).exclude(status=ContractStatus.ACTIVE)
    assert counts["renewal_outcomes"] == decided.count() > 0
    assert not decided.filter(outcome_recorded_at__isnull=True).exists()
    assert not decided.filter(status="churned", outcome_note="").exists()
    # every link joins consecutive contracts of one account
    links = Contract.objects.filter(renewal_of__isnull=False).select_related("renewal_of")
    assert links.count() == counts["renewal_links"] > 0
    for successor in links:
        before = successor.renewal_of
        assert successor.account_id == before.account_id
        assert successor.start_on == before.end_on + datetime.timedelta(days=1)
        assert before.status in ("renewed", "expanded", "reduced")
    # idempotent
    assert build_demo(TODAY)["renewal_outcomes"] == 0
    # the pages have something to show
    head = User.objects.get(username="head")
    assert upcoming_renewals(head, 180, TODAY).exists()
    year = renewal_rates(head, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert year["rows"] and year["total"].rate is not None
