"""`tandem renewals upcoming|rates`."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from testsupport.builders import make_account, make_contract


def run(*args) -> str:
    out = StringIO()
    call_command("renewals", *args, stdout=out)
    return out.getvalue()


def test_upcoming_as_json_and_table(org):
    today = timezone.localdate()
    contract = make_contract(
        make_account(org.kim, name="Kilo"),
        start_on=today - datetime.timedelta(days=200),
        end_on=today + datetime.timedelta(days=30),
        annual_value=Decimal("1000"),
    )
    make_contract(
        make_account(org.alice, name="Alpha"),
        start_on=today - datetime.timedelta(days=200),
        end_on=today + datetime.timedelta(days=60),
    )
    rows = json.loads(run("upcoming", "--format", "json"))
    assert [r["account"] for r in rows] == ["Kilo", "Alpha"]
    assert rows[0]["contract"] == contract.pk
    assert rows[0]["score"] > 0 and rows[0]["signals"]
    assert [
        r["account"] for r in json.loads(run("upcoming", "--user", "kim", "--format", "json"))
    ] == ["Kilo"]
    assert [
        r["account"] for r in json.loads(run("upcoming", "--within", "40", "--format", "json"))
    ] == ["Kilo"]
    table = run("upcoming", "--user", "kim")
    assert "Kilo" in table and "No champion at the account." in table
    with pytest.raises(CommandError):
        run("upcoming", "--user", "nobody")


def test_rates(org):
    account = make_account(org.kim)
    for status in ["renewed", "churned", "active"]:
        make_contract(
            account,
            start_on=datetime.date(2024, 1, 1),
            end_on=datetime.date(2025, 2, 1),
            status=status,
        )
    data = json.loads(run("rates", "--period", "2025", "--format", "json"))
    assert data["kams"][0]["kam"] == "kim"
    assert data["kams"][0]["renewal_rate"] == 0.5
    assert data["total"]["due"] == 3
    assert "50.0 %" in run("rates", "--period", "2025Q1")
    assert (
        json.loads(run("rates", "--period", "2025", "--user", "mona", "--format", "json"))["kams"]
        == []
    )
    with pytest.raises(CommandError):
        run("rates", "--period", "soon")
