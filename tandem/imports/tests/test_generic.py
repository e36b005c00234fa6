"""Generic CSV/XLSX import of accounts, contacts and deals: mapping, validation, all-or-nothing."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from tandem.accounts.models import Account, Contact
from tandem.audit.models import AuditEvent
from tandem.catalog.models import ProductAlias
from tandem.core.exports import write_export
from tandem.imports.exports import all_rows_queryset
from tandem.imports.generic import import_table
from tandem.imports.models import ImportRun, ImportStatus
from tandem.pipeline.models import Deal, StageChange
from testsupport.builders import make_account, make_product


def snapshot():
    return (
        sorted(
            Account.objects.values_list(
                "pk",
                "name",
                "external_ref",
                "owner_id",
                "parent_id",
                "sector_id",
                "employees",
                "annual_revenue",
            )
        ),
        sorted(
            Contact.objects.values_list(
                "pk",
                "account_id",
                "first_name",
                "last_name",
                "email",
                "hierarchy_level",
                "buying_role",
            )
        ),
        sorted(
            Deal.objects.values_list(
                "pk",
                "name",
                "external_ref",
                "account_id",
                "owner_id",
                "product_id",
                "value",
                "stage_id",
                "closed_on",
            )
        ),
        StageChange.objects.count(),
        AuditEvent.objects.exclude(object_type="imports.importrun").count(),
    )


@pytest.fixture
def catalogue(org):
    gtx = make_product("GTX-PRO", name="GTX Pro", list_price=Decimal("4821"))
    ProductAlias.objects.create(product=gtx, alias="GTXPro")
    make_account(org.alice, name="Acme GmbH", external_ref="crm:1")
    return org


ACCOUNTS = """external_ref,name,parent,sector,employees,annual_revenue,country,owner,tier
crm:10,Nordwind AG,,Technologie,120,"1,5",Germany,alice,standard
crm:11,Nordwind Logistik,crm:10,logistics,30,,Germany,bob,key
"""


def test_accounts_import_and_reimport_changes_nothing(catalogue, tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text(ACCOUNTS, encoding="utf-8")
    result = import_table("accounts", path, acting_user=catalogue.otto)
    assert result.status == ImportStatus.SUCCEEDED, result.report.lines()
    child = Account.objects.get(external_ref="crm:11")
    assert child.parent.name == "Nordwind AG"
    assert child.owner == catalogue.bob and child.tier == "key"
    parent = Account.objects.get(external_ref="crm:10")
    assert parent.sector.code == "technology" and parent.annual_revenue == Decimal("1.5")
    before = snapshot()
    again = import_table("accounts", path, acting_user=catalogue.otto)
    assert again.status == ImportStatus.UNCHANGED
    assert again.report.records["accounts"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert snapshot() == before


def test_deals_with_a_mapping_german_numbers_dates_and_an_alias(catalogue, tmp_path):
    path = tmp_path / "deals.csv"
    path.write_text(
        "Nr;Titel;Kunde;Produkt;Wert;Phase;Abschluss\n"
        "D-1;Großauftrag;Acme GmbH;GTXPro;1.234,50;Gewonnen;15.03.2026\n"
        "D-2;Nachfolger;crm:1;gtx pro;99;proposal;\n",
        encoding="utf-8",
    )
    mapping = {
        "external_ref": "Nr",
        "name": "Titel",
        "account": "Kunde",
        "product": "Produkt",
        "value": "Wert",
        "stage": "Phase",
        "closed_on": "Abschluss",
    }
    result = import_table(
        "deals",
        path,
        acting_user=catalogue.otto,
        mapping=mapping,
        delimiter=";",
        owner=catalogue.alice,
    )
    assert result.status == ImportStatus.SUCCEEDED, result.report.lines()
    big = Deal.objects.get(external_ref="D-1")
    assert big.value == Decimal("1234.50") and big.stage.code == "won"
    assert str(big.closed_on) == "2026-03-15"
    assert big.product.code == "GTX-PRO" and big.owner == catalogue.alice
    assert Deal.objects.get(external_ref="D-2").product.code == "GTX-PRO"
    before = snapshot()
    assert (
        import_table("deals", path, acting_user=catalogue.otto, mapping=mapping, delimiter=";")
    ).status == ImportStatus.UNCHANGED
    assert snapshot() == before


def test_contacts_from_excel_by_label_on_a_named_sheet(catalogue, tmp_path):
    workbook = Workbook()
    workbook.active.title = "Ignored"
    sheet = workbook.create_sheet("Kontakte")
    sheet.append(["account", "first_name", "last_name", "hierarchy_level", "buying_role", "email"])
    sheet.append(["Acme GmbH", "Jörg", "Łukasz", "C-level", "Decision maker", "j@acme.de"])
    sheet.append(["crm:1", "Ana", "Ruiz", "director", "champion", None])
    path = tmp_path / "contacts.xlsx"
    workbook.save(path)
    result = import_table("contacts", path, acting_user=catalogue.otto, sheet="Kontakte")
    assert result.status == ImportStatus.SUCCEEDED, result.report.lines()
    assert Contact.objects.count() == 2
    assert Contact.objects.get(first_name="Jörg").buying_role == "decision_maker"
    again = import_table("contacts", path, acting_user=catalogue.otto, sheet="Kontakte")
    assert again.status == ImportStatus.UNCHANGED


def test_contacts_from_excel_by_code(catalogue, tmp_path):
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.append(["account", "first_name", "last_name", "hierarchy_level", "buying_role"])
    sheet.append(["crm:1", "Ana", "Ruiz", "director", "champion"])
    path = tmp_path / "contacts.xlsx"
    workbook.save(path)
    result = import_table("contacts", path, acting_user=catalogue.otto)
    assert result.status == ImportStatus.SUCCEEDED, result.report.lines()
    assert Contact.objects.get().account.external_ref == "crm:1"


def test_an_edited_export_imports_again(catalogue, tmp_path):
    stream = io.StringIO()
    write_export("accounts", all_rows_queryset("accounts"), "csv", stream)
    path = tmp_path / "export.csv"
    path.write_text(stream.getvalue().replace("Acme GmbH", "Acme SE"), encoding="utf-8")
    result = import_table("accounts", path, acting_user=catalogue.otto)
    assert result.status == ImportStatus.SUCCEEDED, result.report.lines()
    assert Account.objects.get(external_ref="crm:1").name == "Acme SE"
    assert result.report.records["accounts"] == {"created": 0, "updated": 1, "unchanged": 0}


# --- bad input: rejected whole, every bad row named, the database unchanged ---------------


def rejected(catalogue, tmp_path, entity, content: bytes | str, **options):
    path = tmp_path / "input.csv"
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    before = snapshot()
    result = import_table(entity, path, acting_user=catalogue.otto, **options)
    assert result.status == ImportStatus.REJECTED
    assert snapshot() == before
    assert ImportRun.objects.filter(status=ImportStatus.REJECTED).count() == 1
    return result.report.errors


DEALS_HEADER = "external_ref,name,account,product,value,closed_on\n"


def test_unknown_product_without_alias(catalogue, tmp_path):
    errors = rejected(
        catalogue,
        tmp_path,
        "deals",
        DEALS_HEADER + "X1,Good,Acme GmbH,GTX Pro,10,\nX2,Bad,Acme GmbH,Warp Core,5,\n",
    )
    assert [(e["line"], e["params"]["value"]) for e in errors] == [(3, "Warp Core")]
    assert "unknown product" in errors[0]["text"]


def test_impossible_date(catalogue, tmp_path):
    errors = rejected(
        catalogue,
        tmp_path,
        "deals",
        DEALS_HEADER + "X1,Good,Acme GmbH,GTX Pro,10,2023-02-28\n"
        "X2,Bad,Acme GmbH,GTX Pro,10,2023-02-30\n",
    )
    assert [e["line"] for e in errors] == [3]
    assert errors[0]["params"]["value"] == "2023-02-30"
    assert "not a valid date" in errors[0]["text"]


def test_negative_value(catalogue, tmp_path):
    errors = rejected(
        catalogue,
        tmp_path,
        "deals",
        DEALS_HEADER + "X1,Bad,Acme GmbH,GTX Pro,-5,\nX2,Bad too,,,-1,\n",
    )
    assert [e["line"] for e in errors] == [2, 3]
    assert all("cannot be negative" in e["text"] for e in errors)


def test_every_bad_row_is_named(catalogue, tmp_path):
    errors = rejected(
        catalogue,
        tmp_path,
        "deals",
        DEALS_HEADER + "X1,Bad,Nobody Inc,GTX Pro,-5,2023-02-30\n"
        "X2,Fine,Acme GmbH,GTX Pro,5,\nX3,,Acme GmbH,,1,\n",
    )
    assert sorted(e["line"] for e in errors) == [2, 2, 2, 4]


def test_missing_required_column(catalogue, tmp_path):
    errors = rejected(catalogue, tmp_path, "deals", "external_ref,title,value\nX1,Deal,5\n")
    missing = [e for e in errors if e["params"].get("field") == "name"]
    assert missing and missing[0]["params"]["found"] == "external_ref, title, value"


def test_wrong_delimiter(catalogue, tmp_path):
    errors = rejected(catalogue, tmp_path, "deals", "external_ref;name;value\nX1;Deal;5\n")
    assert errors[0]["params"]["found"] == ";"
    assert errors[0]["text"].startswith("Only one column found")


def test_wrong_encoding(catalogue, tmp_path):
    content = "external_ref,name,value\nX1,Größe,5\n".encode("latin-1")
    errors = rejected(catalogue, tmp_path, "deals", content)
    assert errors[0]["params"]["line"] == 2
    assert "not in the utf-8 encoding" in errors[0]["text"].replace("{encoding}", "utf-8")
    ok = import_table(
        "deals", tmp_path / "input.csv", acting_user=catalogue.otto, encoding="latin-1"
    )
    assert ok.status == ImportStatus.SUCCEEDED
    assert Deal.objects.get(external_ref="X1").name == "Größe"


def test_the_command_reports_and_fails_on_bad_input(catalogue, tmp_path):
    path = tmp_path / "deals.csv"
    path.write_text(DEALS_HEADER + "X2,Bad,Acme GmbH,Warp Core,5,\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "deals", str(path), "--no-progress", stdout=out)
    assert "line 2: unknown product “Warp Core”" in out.getvalue()
    path.write_text(DEALS_HEADER + "X2,Fine,Acme GmbH,GTXPro,5,\n", encoding="utf-8")
    call_command("import", "deals", str(path), "--map", "name=name", "--dry-run", stdout=out)
    assert not Deal.objects.exists()
    call_command("import", "deals", str(path), stdout=out)
    assert Deal.objects.get().product.name == "GTX Pro"


def test_a_deal_cannot_close_before_it_was_engaged(catalogue, tmp_path):
    errors = rejected(
        catalogue, tmp_path, "deals", "name,engaged_on,closed_on\nEarly,2024-05-02,2024-05-01\n"
    )
    assert errors[0]["line"] == 2 and "before it was engaged" in errors[0]["text"]


def test_a_mapping_file_and_a_semicolon_file_through_the_command(catalogue, tmp_path):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"name": "Firma", "country": "Land", "employees": "MA"}))
    path = tmp_path / "firmen.csv"
    path.write_text("Firma;Land;MA\nSüdwind GmbH;Deutschland;1.200\n", encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import",
        "accounts",
        str(path),
        "--mapping",
        str(mapping),
        "--delimiter",
        ";",
        "--owner",
        "alice",
        stdout=out,
    )
    account = Account.objects.get(name="Südwind GmbH")
    assert (account.country, account.employees, account.owner) == (
        "Deutschland",
        1200,
        catalogue.alice,
    )


def test_columns_no_field_takes_are_named_in_the_report(catalogue, tmp_path):
    path = tmp_path / "input.csv"
    path.write_text("external_ref,name,value,expected_close,Notes\nX1,Deal,5,2026-01-01,hi\n")
    result = import_table("deals", path, acting_user=catalogue.otto)
    assert result.status == ImportStatus.SUCCEEDED
    notes = [n["params"]["columns"] for n in result.report.notes if "columns" in n["params"]]
    assert notes == ["expected_close, Notes"]
