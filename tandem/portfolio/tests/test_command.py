"""`tandem whitespace candidates`: the same candidates as the page, as table or JSON."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tandem.portfolio.tests.conftest import buy
from testsupport.builders import make_account


def run(*args) -> str:
    out = StringIO()
    call_command("whitespace", "candidates", "--end", "2026-05-20", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def peers(org, catalog):
    for index in range(3):
        peer = make_account(org.bob, name=f"Peer {index}")
        buy(peer, catalog["B"], 100)
        buy(peer, catalog["D"], 1200)


def test_candidates_as_json_and_table(org, portfolio, peers):
    body = json.loads(run("--user", "kim", "--format", "json"))
    assert body["window"] == {"start": "2025-05-21", "end": "2026-05-20"}
    first = body["items"][0]
    assert (first["account_name"], first["product"]["code"], first["buyers"]) == (
        "Kappa Two",
        "D",
        3,
    )
    table = run("--user", "kim")
    assert table.splitlines()[0].startswith("Kappa Two\tProduct D\t3/")
    one = json.loads(run("--user", "kim", "--account", str(portfolio["k2"].pk), "--format", "json"))
    assert [c["product"]["code"] for c in one["items"]][0] == "D"
    assert json.loads(run("--user", "hanna", "--sector", "manufacturing", "--format", "json"))[
        "items"
    ] == [c for c in body["items"] if c["account_name"] == "Kappa One"]


def test_refusals(org, portfolio):
    with pytest.raises(CommandError, match="may not see whitespace"):
        run("--user", "alice")
    with pytest.raises(CommandError, match="cannot see an account"):
        run("--user", "kim", "--account", str(portfolio["z1"].pk))
    with pytest.raises(CommandError, match="No KAM"):
        run("--user", "kim", "--kam", "zoe")
    with pytest.raises(CommandError, match="No active user"):
        run("--user", "nobody")
