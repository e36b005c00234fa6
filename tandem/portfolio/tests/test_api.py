"""GET /api/whitespace, /api/whitespace/candidates and /api/whitespace/accounts/{id}."""

from decimal import Decimal

from tandem.portfolio.tests.conftest import buy
from tandem.revenue.models import RevenueLine
from testsupport.builders import make_account

Q = "months=12&end=2026-05-20"


def test_the_matrix_agrees_with_the_revenue_lines(org, api, portfolio):
    body = api(org.hanna).get(f"/api/whitespace?{Q}").json()
    assert body["window"] == {"start": "2025-05-21", "end": "2026-05-20"}
    assert [a["name"] for a in body["accounts"]] == ["Kappa One", "Zeta One", "Kappa Two"]
    expected = {}
    for line in RevenueLine.objects.exclude(account=portfolio["s1"]):
        key = (line.account_id, line.product.code)
        expected[key] = expected.get(key, 0) + line.amount
    codes = {p["id"]: p["code"] for p in body["products"]}
    got = {(c["account"], codes[c["product"]]): Decimal(c["amount"]) for c in body["cells"]}
    assert got == expected
    assert {c["source"] for c in body["cells"]} == {"revenue"}


def test_scoping_and_permissions(org, api, portfolio):
    kim = api(org.kim).get(f"/api/whitespace?{Q}").json()
    assert [a["name"] for a in kim["accounts"]] == ["Kappa One", "Kappa Two"]
    assert api(org.alice).get(f"/api/whitespace?{Q}").status_code == 403
    assert api(org.alice).get("/api/whitespace/candidates").status_code == 403
    assert api(org.kim).get(f"/api/whitespace/accounts/{portfolio['z1'].pk}").status_code == 404
    zoe = portfolio["zoe"].pk
    assert [a["name"] for a in api(org.hanna).get(f"/api/whitespace?kam={zoe}").json()["accounts"]]
    refused = api(org.kim).get(f"/api/whitespace?kam={zoe}")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "kam"]


def test_bad_parameters_are_named(org, api, portfolio):
    bad = api(org.hanna).get("/api/whitespace?months=7")
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "months"]
    assert api(org.hanna).get("/api/whitespace?sector=nope").json()["detail"][0]["loc"] == [
        "query",
        "sector",
    ]
    german = api(org.hanna, "de").get("/api/whitespace?months=7").json()
    assert german["detail"][0]["msg"].startswith("Wählen Sie")


def test_candidates_with_reasons(org, api, portfolio, catalog):
    for index in range(3):
        peer = make_account(org.bob, name=f"Peer {index}")
        buy(peer, catalog["B"], 100)
        buy(peer, catalog["D"], 1200)
    body = api(org.kim).get(f"/api/whitespace/candidates?{Q}").json()
    first = body["items"][0]
    assert (first["account_name"], first["product"]["code"]) == ("Kappa Two", "D")
    assert first["buyers"] == 3 and first["basis"] == "similar"
    assert first["reason"].startswith("bought by 3 of the")
    german = api(org.kim, "de").get(f"/api/whitespace/candidates?{Q}").json()
    assert german["items"][0]["reason"].startswith("gekauft von 3 der")
    account = api(org.kim).get(f"/api/whitespace/accounts/{portfolio['k2'].pk}?{Q}").json()
    assert [b["product"]["code"] for b in account["bought"]] == ["B"]
    assert account["candidates"][0]["product"]["code"] == "D"
