"""The compensation endpoints: plans CRUD (admins), statements, payouts, what-if, bands."""

import datetime
from decimal import Decimal

import pytest

from tandem.compensation.models import CompensationPlan, SalaryBand
from tandem.compensation.tests.conftest import plan_for, quota, won
from tandem.quotas.models import QuotaMetric
from testsupport.api import send
from testsupport.builders import make_account, make_deal


def plan_body(**overrides):
    body = {
        "name": "Reps 2027",
        "role": "rep",
        "valid_from": "2027-01-01",
        "valid_to": "2027-12-31",
        "base_pay": "60000",
        "variable_target": "40000",
        "components": [
            {"metric": "won_value", "weight": "70", "accelerator": "2"},
            {"metric": "new_customers", "weight": "30"},
        ],
    }
    body.update(overrides)
    return body


def test_admin_creates_reads_replaces_and_deletes_a_plan(org, api):
    created = send(api("otto"), "post", "/api/compensation/plans", plan_body())
    assert created.status_code == 201, created.content
    plan = created.json()
    assert [c["metric"] for c in plan["components"]] == ["won_value", "new_customers"]
    assert plan["components"][0]["accelerator"] == "2.0000"
    url = f"/api/compensation/plans/{plan['id']}"
    assert api("alice").get(url).json()["name"] == "Reps 2027"
    replaced = send(api("otto"), "put", url, plan_body(name="Reps 2027 v2", base_pay="61000"))
    assert replaced.status_code == 200
    assert replaced.json()["base_pay"] == "61000.00"
    assert api("otto").delete(url).status_code == 204
    assert not CompensationPlan.objects.exists()


@pytest.mark.parametrize("who", ["alice", "mona", "kim", "hanna"])
def test_only_admins_write_plans(org, api, who):
    assert send(api(who), "post", "/api/compensation/plans", plan_body()).status_code == 403
    plan = plan_for(org)
    url = f"/api/compensation/plans/{plan.pk}"
    assert send(api(who), "put", url, plan_body()).status_code == 403
    assert api(who).delete(url).status_code == 403


def test_bad_plans_are_refused_in_the_callers_language(org, api):
    body = plan_body()
    body["components"][1]["weight"] = "20"
    answer = send(api("otto"), "post", "/api/compensation/plans", body)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "components"]
    assert "90 %, not 100 %" in answer.json()["detail"][0]["msg"]
    german = send(api("otto", "de"), "post", "/api/compensation/plans", body).json()
    assert "nicht 100" in german["detail"][0]["msg"]
    plan_for(org, valid_from=datetime.date(2027, 6, 1), valid_to=None, name="Open")
    clash = send(api("otto"), "post", "/api/compensation/plans", plan_body()).json()
    assert "overlaps the plan “Open”" in clash["detail"][0]["msg"]
    negative = send(api("otto"), "post", "/api/compensation/plans", plan_body(base_pay="-1"))
    assert negative.json()["detail"][0]["loc"] == ["body", "base_pay"]


@pytest.fixture
def quarter(org):
    plan_for(org)
    quota(org.alice, QuotaMetric.WON_VALUE, "100000")
    quota(org.alice, QuotaMetric.NEW_CUSTOMERS, "4")
    won(org.alice, "115000", datetime.date(2026, 2, 1))
    return org


def test_statement_and_payouts(quarter, api):
    org = quarter
    url = f"/api/compensation/statements/{org.alice.pk}?period=2026Q1"
    body = api("alice").get(url).json()
    assert body["payout"] == "9100.00"
    assert body["parts"][0]["lines"][0]["attainment"] == "1.1500"
    assert "above target" in body["parts"][0]["lines"][0]["sentence"]
    assert api("mona").get(url).status_code == 200
    assert api("sam").get(url).status_code == 404
    assert api("bob").get(url).status_code == 404
    bad = api("alice").get(f"/api/compensation/statements/{org.alice.pk}?period=Q9")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "period"]
    payouts = api("mona").get("/api/compensation/payouts?period=2026Q1").json()
    assert {row["username"] for row in payouts} == {"alice", "mona"}
    assert next(r for r in payouts if r["username"] == "alice")["payout"] == "9100.00"
    everyone = api("hanna").get("/api/compensation/payouts?period=2026Q1").json()
    assert {row["username"] for row in everyone} == {u.username for u in org.everyone}


def test_what_if(quarter, api):
    org = quarter
    deal = make_deal(org.alice, make_account(org.alice), value=Decimal("20000"))
    body = send(
        api("alice"), "post", "/api/compensation/what-if", {"period": "2026Q1", "deal": deal.pk}
    ).json()
    # 135 % → 1.7 × 7,000 = 11,900; 2 of 4 new customers = 50 % → 750
    assert body["before"]["payout"] == "9100.00"
    assert body["after"]["payout"] == "12650.00"
    assert body["difference"] == "3550.00"
    assert body["new_customer"] is True
    other = make_deal(org.bob, make_account(org.bob))
    refused = send(
        api("alice"), "post", "/api/compensation/what-if", {"period": "2026Q1", "deal": other.pk}
    )
    assert refused.status_code == 422
    hidden = send(
        api("sam"),
        "post",
        "/api/compensation/what-if",
        {"user": org.alice.pk, "period": "2026Q1", "amount": "1"},
    )
    assert hidden.status_code == 404


def test_bands(org, api):
    rows = api("alice").get("/api/compensation/bands?role=kam&company_size=medium").json()
    assert {(r["level"], r["industry"]) for r in rows} >= {("senior", "any"), ("junior", "any")}
    band = SalaryBand.objects.get(role="kam", level="senior", company_size="medium", industry="any")
    url = f"/api/compensation/bands/{band.pk}"
    new = {"minimum": "90000", "midpoint": "100000", "maximum": "125000"}
    assert send(api("hanna"), "put", url, new).status_code == 403
    assert send(api("otto"), "put", url, new).json()["maximum"] == "125000.00"
    wrong = send(api("otto"), "put", url, {**new, "maximum": "1"})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "maximum"]
