import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tandem.core.exports import EXPORT_ENTITIES, ExportError, export_response, write_export
from tandem.imports.exports import all_rows_queryset, visible_queryset
from tandem.pipeline.models import Deal
from tandem.pipeline.selectors import visible_deals
from testsupport.builders import make_account, make_activity, make_contact, make_deal, make_product


@pytest.fixture
def data(org):
    product = make_product("GTX-1", name="GTX Eins", list_price=Decimal("99.50"))
    north = make_account(org.alice, name="Müller & Söhne, Köln", country="Germany")
    south = make_account(org.bob, name="Bobs Bau")
    make_deal(org.alice, north, product=product, value=Decimal("1234.56"), name='Say "hi"')
    make_deal(org.bob, south, stage_code="won", value=Decimal("10"))
    make_deal(org.alice, None, value=Decimal("0.01"))
    make_contact(north, first_name="Jörg")
    make_activity(north, org.alice)
    return org


def expected_deal_rows(queryset):
    return {
        deal.pk: {
            "name": deal.name,
            "account": deal.account.name if deal.account else "",
            "owner": deal.owner.username,
            "value": deal.value,
            "stage": deal.stage.code,
        }
        for deal in queryset.select_related("account", "owner", "stage")
    }


def test_csv_round_trip_matches_the_database(data):
    stream = io.StringIO()
    write_export("deals", Deal.objects.all(), "csv", stream)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert list(rows[0]) == EXPORT_ENTITIES["deals"].headers
    got = {
        int(r["id"]): {
            "name": r["name"],
            "account": r["account"],
            "owner": r["owner"],
            "value": Decimal(r["value"]),
            "stage": r["stage"],
        }
        for r in rows
    }
    assert got == expected_deal_rows(Deal.objects.all())


def test_json_round_trip_matches_the_database(data):
    stream = io.BytesIO()
    write_export("deals", Deal.objects.all(), "json", stream)
    records = json.loads(stream.getvalue().decode("utf-8"))
    got = {
        r["id"]: {
            "name": r["name"],
            "account": r["account"] or "",
            "owner": r["owner"],
            "value": Decimal(r["value"]),
            "stage": r["stage"],
        }
        for r in records
    }
    assert got == expected_deal_rows(Deal.objects.all())


def test_xlsx_round_trip_matches_the_database(data):
    stream = io.BytesIO()
    write_export("deals", Deal.objects.all(), "xlsx", stream)
    sheet = load_workbook(io.BytesIO(stream.getvalue()), read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert list(header) == EXPORT_ENTITIES["deals"].headers
    got = {}
    for row in rows:
        r = dict(zip(header, row, strict=True))
        got[r["id"]] = {
            "name": r["name"],
            "account": r["account"] or "",
            "owner": r["owner"],
            "value": Decimal(str(r["value"])),
            "stage": r["stage"],
        }
    assert got == expected_deal_rows(Deal.objects.all())


@pytest.mark.parametrize("entity", list(EXPORT_ENTITIES))
@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_every_list_exports_every_row_in_every_format(data, entity, fmt):
    queryset = all_rows_queryset(entity)
    stream = io.BytesIO()
    write_export(entity, queryset, fmt, stream)
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(stream.getvalue().decode())))
    elif fmt == "json":
        rows = json.loads(stream.getvalue())
    else:
        rows = list(load_workbook(stream, read_only=True).worksheets[0].iter_rows())[1:]
    assert len(rows) == queryset.count()


def test_rep_export_holds_only_their_rows(data):
    stream = io.StringIO()
    write_export("deals", visible_queryset("deals", data.alice), "csv", stream)
    owners = {row["owner"] for row in csv.DictReader(io.StringIO(stream.getvalue()))}
    assert owners == {"alice"}
    ids = {int(r["id"]) for r in csv.DictReader(io.StringIO(stream.getvalue()))}
    assert ids == set(visible_deals(data.alice).values_list("pk", flat=True))


def test_export_command_scopes_to_the_user(data, tmp_path):
    out = tmp_path / "accounts.csv"
    call_command("export", "accounts", "--format", "csv", "--user", "bob", "--output", str(out))
    names = [row["name"] for row in csv.DictReader(out.open(encoding="utf-8"))]
    assert names == ["Bobs Bau"]
    call_command("export", "accounts", "--format", "xlsx", "--output", str(tmp_path / "a.xlsx"))
    sheet = load_workbook(tmp_path / "a.xlsx", read_only=True).worksheets[0]
    assert len(list(sheet.iter_rows())) == 1 + 2


def test_export_response_is_a_named_download(data):
    response = export_response("deals", Deal.objects.all(), "csv")
    assert 'filename="tandem-deals-' in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    assert len(list(csv.DictReader(io.StringIO(body)))) == Deal.objects.count()
    xlsx = export_response("deals", Deal.objects.all(), "xlsx")
    assert xlsx["Content-Disposition"].endswith('.xlsx"')


def test_unknown_entity_or_format_is_refused(db):
    with pytest.raises(ExportError):
        write_export("invoices", Deal.objects.none(), "csv", io.StringIO())
    with pytest.raises(ExportError):
        write_export("deals", Deal.objects.none(), "pdf", io.StringIO())
