"""Invoice lines into revenue lines: netting, set-aside reasons, idempotency, the real file."""

import csv
import gzip
import io
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Sum

from tandem.accounts.models import Account
from tandem.audit.selectors import history_of
from tandem.catalog.models import Product
from tandem.imports.models import ImportRun, ImportStatus
from tandem.imports.retail import NON_PRODUCT_CODES, import_revenue
from tandem.revenue.models import RevenueLine
from tandem.users.models import Role
from testsupport.builders import make_user
from testsupport.datasets import RETAIL

HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
LINES = [
    "536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26,2.55,17850,United Kingdom",
    "536366,85123A,WHITE HEART,4,2010-12-01 09:00,2.55,17850,United Kingdom",
    "536367,22633,HAND WARMER,10,2010-12-01 09:10,1.85,12583,France",
    "C536368,85123A,WHITE HANGING HEART,-2,2010-12-01 10:00,2.55,17850,United Kingdom",
    "536369,22633,HAND WARMER,10,2010-12-01 09:10,1.85,12583,France",
    "536369,22633,HAND WARMER,10,2010-12-01 09:10,1.85,12583,France",
    "536370,POST,POSTAGE,1,2010-12-01 11:00,18.00,12583,France",
    "536371,22633,HAND WARMER,3,2010-12-02 09:10,1.85,,United Kingdom",
    "536372,22634,FREE GIFT,1,2010-12-02 09:10,0.00,12583,France",
    "536373,85123A,WHITE HANGING HEART,1,2010-12-02 12:00,2.55,17850,United Kingdom",
]


def write(path: Path, lines, gz=False) -> Path:
    text = "\n".join([HEADER, *lines]) + "\n"
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def snapshot():
    return (
        sorted(
            RevenueLine.objects.values_list(
                "account__external_ref", "product__code", "invoiced_on", "quantity", "amount"
            ),
            key=str,
        ),
        sorted(Account.objects.values_list("external_ref", "name", "country", "owner_id"), key=str),
        sorted(Product.objects.values_list("code", "name")),
    )


@pytest.mark.parametrize("gz", [False, True])
def test_lines_are_summed_per_customer_product_and_day(org, tmp_path, gz):
    path = write(tmp_path / ("lines.csv.gz" if gz else "lines.csv"), LINES, gz=gz)
    aside = tmp_path / "aside.csv"
    result = import_revenue(path, acting_user=org.otto, set_aside=aside)
    assert result.status == ImportStatus.SUCCEEDED, result.report.lines()
    got = {
        (r.account.external_ref, r.product.code, str(r.invoiced_on)): (r.quantity, r.amount)
        for r in RevenueLine.objects.select_related("account", "product")
    }
    # 6 + 4 - 2 (cancellation netted) on day one; the duplicate line counted once
    assert got == {
        ("retail:17850", "85123A", "2010-12-01"): (Decimal(8), Decimal("20.40")),
        ("retail:12583", "22633", "2010-12-01"): (Decimal(20), Decimal("37.00")),
        ("retail:17850", "85123A", "2010-12-02"): (Decimal(1), Decimal("2.55")),
    }
    assert Account.objects.get(external_ref="retail:12583").country == "France"
    assert Account.objects.get(external_ref="retail:17850").owner == org.otto
    # the most frequent description names the product
    assert Product.objects.get(code="85123A").name == "WHITE HANGING HEART"
    stats = result.report.stats
    assert stats["cancellations"] == {"lines": 1, "amount": "-5.10"}
    assert stats["set_aside"]["duplicate"] == {"lines": 1, "amount": "18.50"}
    assert stats["set_aside"]["non_product"] == {"lines": 1, "amount": "18.00"}
    assert stats["set_aside"]["no_customer"] == {"lines": 1, "amount": "5.55"}
    assert stats["set_aside"]["bad_price"]["lines"] == 1
    rows = list(csv.DictReader(aside.open(encoding="utf-8")))
    assert [(r["line"], r["reason"]) for r in rows] == [
        ("7", "duplicate"),
        ("8", "non_product"),
        ("9", "no_customer"),
        ("10", "bad_price"),
    ]
    assert stats["lines"] == len(LINES) == stats["lines_imported"] + len(rows)


def test_reimport_changes_nothing_and_a_changed_file_updates(org, tmp_path):
    path = write(tmp_path / "lines.csv", LINES)
    import_revenue(path, acting_user=org.otto)
    before = snapshot()
    again = import_revenue(path, acting_user=org.otto)
    assert again.status == ImportStatus.UNCHANGED
    assert snapshot() == before
    changed = write(tmp_path / "changed.csv", [*LINES, LINES[0].replace("536365", "536399")])
    third = import_revenue(changed, acting_user=org.otto)
    assert third.status == ImportStatus.SUCCEEDED
    assert third.report.records["revenue lines"] == {"created": 0, "updated": 1, "unchanged": 2}
    line = RevenueLine.objects.get(account__external_ref="retail:17850", invoiced_on="2010-12-01")
    assert line.quantity == 14


def test_unreadable_lines_reject_the_file(org, tmp_path):
    bad = [
        *LINES,
        "536380,22633,HAND WARMER,ten,2010-12-03 09:10,1.85,12583,France",
        "536381,22633,HAND WARMER,1,2010-13-03 09:10,1.85,12583,France",
        "536382,22633,HAND WARMER,1,2010-12-03 09:10",
    ]
    result = import_revenue(write(tmp_path / "bad.csv", bad), acting_user=org.otto)
    assert result.status == ImportStatus.REJECTED
    assert [e["line"] for e in result.report.errors] == [12, 13, 14]
    assert snapshot() == ([], [], [])
    assert ImportRun.objects.get().status == ImportStatus.REJECTED


def test_missing_columns_are_named(org, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("Invoice,Code\n1,2\n")
    result = import_revenue(path, acting_user=org.otto)
    assert result.status == ImportStatus.REJECTED
    assert "InvoiceNo" in result.report.errors[0]["params"]["missing"]
    assert "Invoice, Code" == result.report.errors[0]["params"]["found"]


def test_without_an_admin_new_accounts_need_an_owner(db, tmp_path):
    rep = make_user("rita", Role.SALES_REP)
    result = import_revenue(write(tmp_path / "l.csv", LINES), acting_user=rep)
    assert result.status == ImportStatus.REJECTED
    assert "--owner" in result.report.errors[0]["text"]
    assert not Account.objects.exists()
    named = import_revenue(write(tmp_path / "l.csv", LINES), acting_user=rep, owner=rep)
    assert named.status == ImportStatus.SUCCEEDED


def independent_totals():
    """The expected result, computed straight from the file with the csv module."""
    kept = Counter()
    quantity = Counter()
    seen = set()
    reasons = Counter()
    customers, products = set(), set()
    with gzip.open(RETAIL, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["StockCode"]
            if not row["CustomerID"]:
                reasons["no_customer"] += 1
                continue
            if code.upper() in NON_PRODUCT_CODES or code.startswith("gift_"):
                reasons["non_product"] += 1
                continue
            if Decimal(row["UnitPrice"]) <= 0:
                reasons["bad_price"] += 1
                continue
            key = tuple(row.values())
            if key in seen:
                reasons["duplicate"] += 1
                continue
            seen.add(key)
            day_key = (row["CustomerID"], code, row["InvoiceDate"][:10])
            kept[day_key] += 1
            quantity[row["CustomerID"]] += int(row["Quantity"])
            customers.add(row["CustomerID"])
            products.add(code)
    return kept, quantity, reasons, customers, products


@pytest.mark.slow
def test_the_online_retail_file_is_imported_completely(org):
    result = import_revenue(RETAIL, acting_user=org.otto)
    assert result.status == ImportStatus.SUCCEEDED
    kept, quantity, reasons, customers, products = independent_totals()
    assert RevenueLine.objects.count() == len(kept)
    assert Account.objects.filter(external_ref__startswith="retail:").count() == len(customers)
    assert Product.objects.count() == len(products)
    per_customer = dict(
        RevenueLine.objects.values_list("account__external_ref").annotate(q=Sum("quantity"))
    )
    assert {ref.removeprefix("retail:"): int(q) for ref, q in per_customer.items()} == dict(
        quantity
    )
    stats = result.report.stats
    assert {k: v["lines"] for k, v in stats["set_aside"].items()} == dict(reasons)
    assert stats["lines"] == 541_909 == stats["lines_imported"] + sum(reasons.values())
    assert stats["set_aside"]["no_customer"]["lines"] == 135_080  # the README's figure

    def state():
        return list(
            RevenueLine.objects.order_by("pk").values_list(
                "pk", "account_id", "product_id", "invoiced_on", "quantity", "amount"
            )
        )

    before = state()
    again = import_revenue(RETAIL, acting_user=org.otto)
    assert again.status == ImportStatus.UNCHANGED
    assert state() == before


def test_the_command_writes_set_aside_lines_and_a_json_report(org, tmp_path):

    path = write(tmp_path / "lines.csv", LINES)
    aside = tmp_path / "aside.csv"
    out = io.StringIO()
    call_command("import", "revenue", str(path), "--set-aside", str(aside), "--json", stdout=out)
    report = json.loads(out.getvalue().rsplit("\n", 2)[0])
    assert report["records"]["revenue lines"]["created"] == RevenueLine.objects.count()
    assert len(list(csv.DictReader(aside.open(encoding="utf-8")))) == sum(
        v["lines"] for v in report["stats"]["set_aside"].values()
    )

    account = Account.objects.get(external_ref="retail:17850")
    assert [e.action for e in history_of(account)] == ["account.imported"]
