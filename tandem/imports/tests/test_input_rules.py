"""Imports follow the input rules of tandem/core/validation.py: a control character, a number
beyond its column or a far date is a rejected line naming the column, a duplicated header a named
error; nothing is written and the report is stored on both databases."""

import shutil

from openpyxl import Workbook

from tandem.accounts.models import Account
from tandem.imports.generic import import_table
from tandem.imports.maven import import_maven
from tandem.imports.models import ImportRun, ImportStatus
from tandem.imports.services import render_message
from testsupport.datasets import MAVEN


def rejected(result) -> dict:
    assert result.status == ImportStatus.REJECTED
    assert ImportRun.objects.filter(status=ImportStatus.REJECTED).exists()
    return {error["line"]: render_message(error) for error in result.report.errors}


def test_a_control_character_a_huge_number_and_a_far_date_reject_their_lines(org, tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text(
        "external_ref,name,employees,country\n"
        "crm:1,Nord\x00wind AG,12,Germany\n"
        "crm:2,Süd AG,1099511627776,Germany\n"
        "crm:3,Ost AG,3,Ger\x07many\n"
        'crm:4,West AG,4,"Ger\nmany"\n',
        encoding="utf-8",
    )
    errors = rejected(import_table("accounts", path, acting_user=org.otto))
    assert "name" in errors[2] and "U+0000" in errors[2]
    assert "employees" in errors[3] and "2147483647" in errors[3].replace(",", "")
    assert "country" in errors[4] and "U+0007" in errors[4]
    assert 5 not in errors  # a line break inside a quoted cell is text
    assert not Account.objects.exists()


def test_a_far_date_is_a_rejected_line(org, tmp_path):
    path = tmp_path / "deals.csv"
    path.write_text(
        "name,account,value,stage,closed_on\nBig,Acme,10,won,9999-12-31\n", encoding="utf-8"
    )
    errors = rejected(import_table("deals", path, acting_user=org.otto, owner=org.alice))
    assert "closed_on" in errors[2] and "1900" in errors[2] and "2199" in errors[2]


def test_a_duplicated_header_is_a_named_error_not_the_last_column(org, tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text("name,country,Name\nNordwind AG,Germany,Other\n", encoding="utf-8")
    errors = rejected(import_table("accounts", path, acting_user=org.otto))
    assert "“Name” appears twice (columns 1 and 3)" in errors[None]
    workbook = Workbook()
    workbook.active.append(["name", "country", "country"])
    workbook.active.append(["Nordwind AG", "Germany", "Austria"])
    xlsx = tmp_path / "accounts.xlsx"
    workbook.save(xlsx)
    errors = rejected(import_table("accounts", xlsx, acting_user=org.otto))
    assert "“country” appears twice (columns 2 and 3)" in errors[None]
    assert not Account.objects.exists()


def test_a_control_character_in_the_maven_files_rejects_its_line(org, tmp_path):
    for name in ("accounts.csv", "products.csv", "sales_teams.csv"):
        shutil.copy(MAVEN / name, tmp_path / name)
    lines = (MAVEN / "sales_pipeline.csv").read_text().splitlines()
    lines[1] = lines[1].replace("GTX Plus Basic", "GTX\x00Plus Basic")
    (tmp_path / "sales_pipeline.csv").write_text("\n".join(lines) + "\n")
    errors = rejected(import_maven(tmp_path, acting_user=org.otto))
    assert "sales_pipeline.csv" in errors[2] and "U+0000" in errors[2]
