"""Key-account rules against independent computations: the Online Retail invoice lines read
with the csv module, and hand-built deals and accounts."""

import csv
import datetime
import gzip
import itertools
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tandem.accounts.models import Account
from tandem.imports.models import ImportStatus
from tandem.imports.retail import import_revenue, is_non_product
from tandem.keyaccounts.selectors import (
    RULE_INVOICED_REVENUE,
    RULE_POTENTIAL,
    RULE_REVENUE_SHARE,
    RULE_STRATEGIC,
    RULE_WON_VALUE,
    Reason,
    evaluate_rules,
)
from testsupport.builders import make_account, make_deal
from testsupport.datasets import RETAIL

TODAY = datetime.date(2011, 12, 9)  # the last day of the data set
SUBSET_LINES = 40_000


@pytest.fixture
def retail(org, tmp_path):
    """The first lines of the real file, imported through the revenue import service; returns
    the path of the subset."""
    if not RETAIL.exists():
        pytest.skip("the Online Retail data set is not there")
    subset = tmp_path / "retail.csv"
    with gzip.open(RETAIL, "rt", encoding="utf-8") as source, subset.open("w") as target:
        target.writelines(itertools.islice(source, SUBSET_LINES + 1))
    result = import_revenue(subset, acting_user=org.otto)
    assert result.status == ImportStatus.SUCCEEDED, result.report.lines()
    return subset


def trailing_revenue_by_customer(path: Path, today: datetime.date) -> dict[str, Decimal]:
    """Invoiced revenue per customer in the 12 months up to `today`, the way the import
    describes it: customers only, products only, positive prices, exact duplicates once,
    cancellations netted."""
    start = today.replace(year=today.year - 1) + datetime.timedelta(days=1)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    seen = set()
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = tuple(row.values())
            customer = row["CustomerID"].strip()
            if not customer or is_non_product(row["StockCode"].strip()):
                continue
            price = Decimal(row["UnitPrice"])
            if price <= 0 or key in seen:
                continue
            seen.add(key)
            day = datetime.date.fromisoformat(row["InvoiceDate"][:10])
            if start <= day <= today:
                customer = customer.removesuffix(".0")
                totals[customer] += Decimal(row["Quantity"]) * price
    return totals


def test_invoiced_revenue_rule_matches_the_invoice_lines(retail, rules):
    expected_totals = trailing_revenue_by_customer(retail, TODAY)
    ranked = sorted(expected_totals.values(), reverse=True)
    threshold = ranked[9].quantize(Decimal("0.01"))  # the ten biggest customers qualify
    rules.invoiced_revenue_threshold = threshold
    rules.won_value_enabled = rules.potential_enabled = rules.strategic_enabled = False
    hits = evaluate_rules(rules, TODAY)
    refs = dict(Account.objects.filter(pk__in=hits).values_list("pk", "external_ref"))
    got = {refs[pk].removeprefix("retail:"): reasons[0].value for pk, reasons in hits.items()}
    expected = {
        c: t.quantize(Decimal("0.01")) for c, t in expected_totals.items() if t >= threshold
    }
    assert len(expected) >= 10
    assert got == expected
    assert all(
        r[0].rule == RULE_INVOICED_REVENUE and r[0].threshold == threshold for r in hits.values()
    )


def test_share_rule_matches_the_invoice_lines(retail, rules):
    expected_totals = trailing_revenue_by_customer(retail, TODAY)
    company = sum(expected_totals.values())
    rules.revenue_share_enabled = True
    rules.revenue_share_percent = Decimal("2")
    rules.won_value_enabled = rules.invoiced_revenue_enabled = False
    rules.potential_enabled = rules.strategic_enabled = False
    hits = evaluate_rules(rules, TODAY)
    refs = dict(Account.objects.filter(pk__in=hits).values_list("pk", "external_ref"))
    got = {refs[pk].removeprefix("retail:"): reasons[0].value for pk, reasons in hits.items()}
    expected = {
        c: (t * 100 / company).quantize(Decimal("0.01"))
        for c, t in expected_totals.items()
        if t * 100 >= company * 2
    }
    assert expected
    assert got == expected


def test_each_rule_is_one_query_whatever_the_number_of_accounts(retail, rules):
    rules.revenue_share_enabled = True
    with CaptureQueriesContext(connection) as queries:
        evaluate_rules(rules, TODAY)
    assert len(queries) == 6  # five rules, plus the company total for the share


def test_won_value_counts_won_deals_closed_in_the_trailing_year(org, rules):
    today = datetime.date(2026, 6, 30)
    big = make_account(org.alice, name="Big")
    small = make_account(org.alice, name="Small")
    values = {
        # (account, stage, closed_on, value)
        1: (big, "won", datetime.date(2026, 6, 30), Decimal("200000")),
        2: (big, "won", datetime.date(2025, 7, 1), Decimal("60000")),
        3: (big, "won", datetime.date(2025, 6, 30), Decimal("900000")),  # a day too old
        4: (big, "lost", datetime.date(2026, 1, 5), Decimal("900000")),
        5: (small, "won", datetime.date(2026, 3, 1), Decimal("249999.99")),
    }
    for account, stage, closed_on, value in values.values():
        make_deal(org.alice, account, stage_code=stage, closed_on=closed_on, value=value)
    rules.invoiced_revenue_enabled = rules.potential_enabled = rules.strategic_enabled = False
    expected = defaultdict(Decimal)
    start = datetime.date(2025, 7, 1)
    for account, stage, closed_on, value in values.values():
        if stage == "won" and start <= closed_on <= today:
            expected[account.pk] += value
    hits = evaluate_rules(rules, today)
    assert {pk: r[0].value for pk, r in hits.items()} == {
        pk: v for pk, v in expected.items() if v >= rules.won_value_threshold
    }
    assert list(hits) == [big.pk]


def test_rules_switched_off_do_not_fire(org, rules):
    account = make_account(org.alice, is_strategic=True, revenue_potential=Decimal("5000000"))
    assert [r.rule for r in evaluate_rules(rules)[account.pk]] == [RULE_POTENTIAL, RULE_STRATEGIC]
    rules.strategic_enabled = False
    rules.potential_enabled = False
    assert account.pk not in evaluate_rules(rules)


def test_reasons_read_as_words_with_localised_numbers(settings):
    settings.CURRENCY = "EUR"
    reason = Reason(RULE_INVOICED_REVENUE, Decimal("1240000"), Decimal("1000000"))
    assert reason.text() == "invoiced revenue in the last 12 months: 1.24 M€ ≥ 1 M€"
    with translation.override("de"):
        assert reason.text() == (
            "fakturierter Umsatz der letzten 12 Monate: 1,24 Mio. € ≥ 1 Mio. €"
        )
    share = Reason(RULE_REVENUE_SHARE, Decimal("14.25"), Decimal("5"))
    assert share.text() == "share of company revenue in the last 12 months: 14.3 % ≥ 5 %"
    won = Reason(RULE_WON_VALUE, Decimal("85000"), Decimal("50000"))
    assert won.text() == "won deal value in the last 12 months: 85 k€ ≥ 50 k€"
    assert Reason.from_dict(reason.as_dict()) == reason
