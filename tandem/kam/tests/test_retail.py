"""The KAM KPIs against a second, independent computation on the real Online Retail invoice
lines: the file is imported once per module through the import service, every customer made a
key account of one of two KAMs, and the expected numbers are computed with the csv module over
the raw file (the import's documented rules, no code of ours)."""

import csv
import datetime
import gzip
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction

from tandem.accounts.models import Account, Tier
from tandem.core.periods import Period
from tandem.imports.models import ImportStatus
from tandem.imports.retail import import_revenue
from tandem.kam.kpis import compute, kam_kpis_for
from tandem.kam.report import kam_report_json
from tandem.users.models import Role
from testsupport.builders import make_user
from testsupport.datasets import RETAIL

TODAY = datetime.date(2011, 12, 9)  # the last day of the data set
CENT = Decimal("0.01")
# The import's non-product codes, written down again from its docs (postage, carriage, fees,
# manual adjustments, discounts, samples, bad debt, pads, gift vouchers).
NON_PRODUCT = {"POST", "DOT", "C2", "M", "BANK CHARGES", "AMAZONFEE", "CRUK", "D", "S", "B", "PADS"}


def read_lines() -> dict[tuple[str, str, datetime.date], Decimal]:
    """{(customer, stock code, day): net amount in cents}: customers only, products only,
    positive prices, exact duplicates once, cancellations netted, amounts rounded to cents."""
    sums: dict[tuple, Decimal] = defaultdict(Decimal)
    seen = set()
    with gzip.open(RETAIL, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            _invoice, code, _desc, qty, when, price, customer, _country = row
            if not customer or code.upper() in NON_PRODUCT or code.startswith("gift_"):
                continue
            if Decimal(price) <= 0:
                continue
            key = tuple(row)
            if key in seen:
                continue
            seen.add(key)
            sums[customer, code, datetime.date.fromisoformat(when[:10])] += int(qty) * Decimal(
                price
            )
    return {key: value.quantize(CENT, rounding=ROUND_HALF_UP) for key, value in sums.items()}


class Expected:
    """Plain-Python KPIs over the raw lines."""

    def __init__(self, lines):
        self.lines = lines

    def revenue(self, start, end) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for (customer, _code, day), amount in self.lines.items():
            if start <= day <= end:
                totals[customer] += amount
        return totals

    def bought(self, start, end) -> dict[str, set[str]]:
        """Products each customer has a positive line for in [start, end]."""
        found: dict[str, set[str]] = defaultdict(set)
        for (customer, code, day), amount in self.lines.items():
            if start <= day <= end and amount > 0:
                found[customer].add(code)
        return found


@pytest.fixture(scope="module")
def retail(django_db_setup, django_db_blocker):
    """The whole file imported once; customers with an even id belong to KAM "even", the
    others to KAM "odd". Rolled back after the module."""
    if not RETAIL.exists():
        pytest.skip("the Online Retail data set is not there")
    with django_db_blocker.unblock(), transaction.atomic():
        admin = make_user("retail_admin", Role.ADMIN)
        head = make_user("retail_head", Role.HEAD_OF_SALES)
        even = make_user("even", Role.KEY_ACCOUNT_MANAGER)
        odd = make_user("odd", Role.KEY_ACCOUNT_MANAGER)
        result = import_revenue(RETAIL, acting_user=admin)
        assert result.status == ImportStatus.SUCCEEDED
        refs = dict(
            Account.objects.filter(external_ref__startswith="retail:").values_list(
                "pk", "external_ref"
            )
        )
        even_ids = [pk for pk, ref in refs.items() if int(ref.removeprefix("retail:")) % 2 == 0]
        Account.objects.filter(pk__in=refs).update(tier=Tier.KEY_ACCOUNT, owner=odd)
        Account.objects.filter(pk__in=even_ids).update(owner=even)
        names = {pk: ref.removeprefix("retail:") for pk, ref in refs.items()}
        yield {
            "head": head,
            "even": even,
            "odd": odd,
            "customer": names,
            "expected": Expected(read_lines()),
        }
        transaction.set_rollback(True)


def kam_of(customer: str) -> str:
    return "even" if int(customer) % 2 == 0 else "odd"


def concentration(revenues) -> tuple[float, float]:
    positive = [float(v) for v in revenues if v > 0]
    total = sum(positive)
    shares = sorted((v / total for v in positive), reverse=True)
    return sum(shares[:10]), sum(s * s for s in shares)


def test_revenue_top10_share_and_herfindahl_of_2011(db, retail):
    expected = retail["expected"].revenue(datetime.date(2011, 1, 1), TODAY)
    report = compute([retail["even"], retail["odd"]], Period.parse("2011"), TODAY)
    by_customer = {retail["customer"][r.id]: r.revenue for r in report.accounts}
    assert {c: v for c, v in by_customer.items() if v} == {c: v for c, v in expected.items() if v}
    top10, hhi = concentration(expected.values())
    assert report.company.top10_share == pytest.approx(top10, abs=1e-9)
    assert report.company.herfindahl_index == pytest.approx(hhi, abs=1e-9)
    assert report.company.revenue == sum(expected.values())
    for group in report.per_kam:
        mine = [v for c, v in expected.items() if kam_of(c) == group.kam.username]
        top10, hhi = concentration(mine)
        assert group.top10_share == pytest.approx(top10, abs=1e-9)
        assert group.herfindahl_index == pytest.approx(hhi, abs=1e-9)
        assert group.revenue == sum(mine)
    # every key account is a customer of the file, so the key accounts make all revenue
    assert report.company.share_of_company_revenue == pytest.approx(1.0)


def test_account_growth_december_2011_against_december_2010(db, retail):
    expected = retail["expected"]
    now = expected.revenue(datetime.date(2011, 12, 1), TODAY)
    before = expected.revenue(datetime.date(2010, 12, 1), datetime.date(2010, 12, 9))
    report = compute([retail["even"], retail["odd"]], Period.parse("2011-12"), TODAY)
    checked = 0
    for row in report.accounts:
        customer = retail["customer"][row.id]
        assert row.revenue == now.get(customer, 0)
        assert row.revenue_prior_year == before.get(customer, 0)
        if before.get(customer):
            growth = float(now.get(customer, 0) - before[customer]) / float(before[customer])
            assert row.account_growth == pytest.approx(growth)
            checked += 1
        else:
            assert row.account_growth is None
    assert checked > 500
    total_now, total_before = sum(now.values()), sum(before.values())
    assert report.company.account_growth == pytest.approx(
        float(total_now - total_before) / float(total_before)
    )


def test_cross_sell_success_in_december_2011(db, retail):
    expected = retail["expected"]
    start = datetime.date(2011, 12, 1)
    before = expected.bought(datetime.date(2010, 12, 1), start - datetime.timedelta(days=1))
    in_period = expected.bought(start, TODAY)
    new_revenue: dict[str, Decimal] = defaultdict(Decimal)
    for (customer, code, day), amount in expected.lines.items():
        if start <= day <= TODAY and code not in before.get(customer, set()):
            new_revenue[customer] += amount
    existing = set(before)
    sold = {c for c in existing if in_period.get(c, set()) - before[c]}

    report = compute([retail["even"], retail["odd"]], Period.parse("2011-12"), TODAY)
    for row in report.accounts:
        customer = retail["customer"][row.id]
        if customer not in existing:
            assert row.cross_sell_success is None
            continue
        assert row.cross_sell_success == (customer in sold)
        assert row.cross_sell_products == len(in_period.get(customer, set()) - before[customer])
        assert row.cross_sell_revenue == new_revenue.get(customer, 0)
    assert report.company.cross_sell_success == pytest.approx(len(sold) / len(existing))
    assert report.company.cross_sell_accounts == len(sold)
    assert report.company.cross_sell_revenue == sum(new_revenue[c] for c in existing)
    odd = kam_kpis_for(retail["odd"], Period.parse("2011-12"), TODAY)
    odd_existing = {c for c in existing if kam_of(c) == "odd"}
    assert odd.cross_sell_success == pytest.approx(len(sold & odd_existing) / len(odd_existing))


def test_customer_lifetime_value_from_observed_churn(db, retail):
    expected = retail["expected"]
    trailing_start = datetime.date(2010, 12, 10)
    base = expected.bought(datetime.date(2009, 12, 10), datetime.date(2010, 12, 9))
    recent = expected.bought(trailing_start, TODAY)
    lost = [c for c in base if not recent.get(c)]
    churn = len(lost) / len(base)
    lifetime = max(1.0, min(10.0, 1 / churn))
    trailing = expected.revenue(trailing_start, TODAY)

    report = compute([retail["even"], retail["odd"]], Period.parse("2011"), TODAY)
    assert report.churn == pytest.approx(churn)
    assert report.lifetime_years == pytest.approx(lifetime)
    values = []
    for row in report.accounts:
        value = max(trailing.get(retail["customer"][row.id], Decimal(0)), Decimal(0))
        clv = (value * Decimal(str(lifetime))).quantize(CENT)
        assert row.customer_lifetime_value == clv
        values.append(clv)
    assert report.company.portfolio_lifetime_value == sum(values)
    assert report.company.customer_lifetime_value == (sum(values) / len(values)).quantize(CENT)


def test_the_json_report_carries_the_same_numbers(db, retail):
    report = kam_report_json(retail["head"], Period.parse("2011"), today=TODAY)
    computed = compute([retail["even"], retail["odd"]], Period.parse("2011"), TODAY)
    assert report["company"]["top10_share"] == pytest.approx(computed.company.top10_share, abs=1e-6)
    assert report["company"]["revenue"] == float(round(computed.company.revenue, 2))
    assert {k["kam"] for k in report["kams"]} == {"even", "odd"}
    assert len(report["accounts"]) == len(computed.accounts)
    assert report["company"]["stakeholder_coverage"] == 0.0  # no contacts in this data set
    assert report["company"]["renewal_rate"] is None  # and no contracts
