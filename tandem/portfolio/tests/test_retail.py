"""Cross-sell candidates on the real Online Retail invoice lines, against an independent
computation: the file read with the csv module, product sets and nearest neighbours computed
with plain sets, following the method as docs/whitespace-and-insights.md states it."""

import csv
import datetime
import gzip
import itertools
import statistics
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from tandem.accounts.models import Account
from tandem.imports.models import ImportStatus
from tandem.imports.retail import import_revenue, is_non_product
from tandem.portfolio.selectors import MIN_BUYERS, NEIGHBOURS, CrossSell, window_ending
from testsupport.datasets import RETAIL

SUBSET_LINES = 40_000  # 2010-12-01 to 2010-12-21
WINDOW = window_ending(datetime.date(2010, 12, 31), 1)  # December 2010
CENT = Decimal("0.01")


@pytest.fixture
def retail(org, tmp_path):
    if not RETAIL.exists():
        pytest.skip("the Online Retail data set is not there")
    subset = tmp_path / "retail.csv"
    with gzip.open(RETAIL, "rt", encoding="utf-8") as source, subset.open("w") as target:
        target.writelines(itertools.islice(source, SUBSET_LINES + 1))
    result = import_revenue(subset, acting_user=org.otto)
    assert result.status == ImportStatus.SUCCEEDED, result.report.lines()
    return subset


def amounts_from_file(path: Path) -> dict[str, dict[str, Decimal]]:
    """customer -> stock code -> net amount: customers and goods only, positive prices, exact
    duplicates once, each day's sum rounded to cents (as an invoice line is), cancellations
    netted."""
    per_day: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    seen = set()
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = tuple(row.values())
            customer, code = row["CustomerID"].strip(), row["StockCode"].strip()
            price = Decimal(row["UnitPrice"])
            if not customer or is_non_product(code) or price <= 0 or key in seen:
                continue
            seen.add(key)
            day = row["InvoiceDate"][:10]
            per_day[customer, code, day] += Decimal(row["Quantity"]) * price
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for (customer, code, _day), amount in per_day.items():
        totals[customer][code] += amount.quantize(CENT, ROUND_HALF_UP)
    return {c: {p: a for p, a in codes.items() if a > 0} for c, codes in totals.items()}


def expected_candidates(bought: dict, ids: dict[str, int], target: str, days: int) -> list:
    """(code, buyers, neighbours, median yearly) of the target, ranked, from plain sets."""
    own = set(bought[target])
    scored = []
    for other, codes in bought.items():
        if other == target:
            continue
        overlap = len(own & set(codes))
        if overlap:
            scored.append((Fraction(overlap, len(own | set(codes))), overlap, ids[other], other))
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    neighbours = [s[3] for s in scored[:NEIGHBOURS]]
    rows = []
    for code in sorted({c for n in neighbours for c in bought[n]} - own):
        buyers = [n for n in neighbours if code in bought[n]]
        if len(buyers) < MIN_BUYERS:
            continue
        yearly = [(bought[n][code] * 365 / days).quantize(CENT, ROUND_HALF_UP) for n in buyers]
        median = Decimal(statistics.median(yearly)).quantize(CENT, ROUND_HALF_UP)
        rows.append((code, len(buyers), len(neighbours), median))
    rows.sort(key=lambda r: (-r[1], -r[3], r[0]))
    return rows[:5]


def test_candidates_match_an_independent_computation_on_the_invoice_lines(retail):
    bought = {c: codes for c, codes in amounts_from_file(retail).items() if codes}
    ids = {
        ref.removeprefix("retail:"): pk
        for pk, ref in Account.objects.filter(external_ref__startswith="retail:").values_list(
            "pk", "external_ref"
        )
    }
    engine = CrossSell(WINDOW)
    # the product sets themselves agree
    by_account = {ids[c]: set(codes) for c, codes in bought.items()}
    codes = dict(
        Account.objects.none()
        .model._meta.apps.get_model("catalog", "Product")
        .objects.values_list("pk", "code")
    )
    assert {a: {codes[p] for p in engine.bought(a)} for a in by_account} == by_account
    assert len(bought) > 500
    # targets: the biggest buyers, some middle ones and a few with one product only
    ranked = sorted(bought, key=lambda c: (-len(bought[c]), c))
    singles = [c for c in ranked if len(bought[c]) == 1][:3]
    targets = ranked[:4] + ranked[len(ranked) // 2 : len(ranked) // 2 + 4] + singles
    accounts = Account.objects.in_bulk([ids[c] for c in targets])
    compared = 0
    for customer in targets:
        got = [
            (c.product.code, c.buyers, c.neighbours, c.median_yearly)
            for c in engine.candidates_for(accounts[ids[customer]])
        ]
        assert got == expected_candidates(bought, ids, customer, WINDOW.days), customer
        compared += len(got)
    assert compared >= 20  # the comparison is not vacuous
