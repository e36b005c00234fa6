"""`tandem payouts`: the same statements as the API, scoped to what --user may see."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tandem.compensation.tests.conftest import plan_for, quota, won
from tandem.quotas.models import QuotaMetric


@pytest.fixture
def quarter(org):
    plan_for(org)
    quota(org.alice, QuotaMetric.WON_VALUE, "100000")
    quota(org.bob, QuotaMetric.WON_VALUE, "50000")
    won(org.alice, "115000", datetime.date(2026, 2, 1))
    won(org.bob, "50000", datetime.date(2026, 2, 1))
    return org


def run(*args) -> str:
    out = StringIO()
    call_command("payouts", *args, stdout=out)
    return out.getvalue()


def test_json_for_everybody_an_admin_sees(quarter):
    rows = json.loads(run("--period", "2026Q1", "--format", "json"))
    by_name = {row["username"]: row for row in rows}
    # alice: 115 % → 1.3 × 7,000 = 9,100 (no new-customer quota: 0); bob: 100 % → 7,000
    assert by_name["alice"]["payout"] == "9100.00"
    assert by_name["bob"]["payout"] == "7000.00"
    assert by_name["kim"]["has_plan"] is False


def test_a_manager_sees_the_team_only(quarter):
    rows = json.loads(run("--period", "2026Q1", "--user", "mona", "--format", "json"))
    assert {row["username"] for row in rows} == {"alice", "mona"}
    with pytest.raises(CommandError, match="No person"):
        run("--period", "2026Q1", "--user", "mona", "--person", "bob")


def test_table_for_one_person_with_the_sentences(quarter):
    text = run("--period", "2026Q1", "--person", "Alice Test")
    assert "alice" in text and "9,100.00" in text and "91.0" in text
    assert "above target" in text


def test_bad_input(quarter):
    with pytest.raises(CommandError, match="is not a period"):
        run("--period", "2026Q7")
    with pytest.raises(CommandError, match="No user"):
        run("--user", "nobody")
