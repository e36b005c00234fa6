"""The account-plan endpoints: CRUD, actions, missing plans and the QBR figures."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from tandem.accountplans.models import AccountPlan, PlanAction
from tandem.accountplans.tests.conftest import YEAR
from tandem.accounts.models import Tier
from tandem.revenue.models import RevenueLine
from testsupport.api import send
from testsupport.builders import make_account


def test_create_read_edit_delete(org, api, key_account, products):
    created = send(
        api("kim"),
        "post",
        "/api/account-plans/plans",
        {
            "account": key_account.pk,
            "year": YEAR,
            "objectives": "Grow.",
            "growth_target_percent": "7.5",
            "whitespace": [products["sensor"].pk],
            "review_dates": ["2026-06-30"],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["whitespace"] == [products["sensor"].pk]
    assert body["review_dates"] == ["2026-06-30"]
    assert body["actions"] == []
    plan_id = body["id"]
    again = send(
        api("kim"),
        "post",
        "/api/account-plans/plans",
        {"account": key_account.pk, "year": YEAR, "objectives": "x", "growth_target_percent": 1},
    )
    assert again.status_code == 422
    assert again.json()["detail"][0]["loc"] == ["body", "year"]
    edited = send(
        api("kim"), "patch", f"/api/account-plans/plans/{plan_id}", {"growth_target_percent": 9}
    )
    assert edited.status_code == 200
    assert Decimal(edited.json()["growth_target_percent"]) == Decimal(9)
    assert edited.json()["whitespace"] == [products["sensor"].pk]  # untouched
    listed = api("kim").get(f"/api/account-plans/plans?year={YEAR}").json()
    assert listed["count"] == 1 and listed["items"][0]["account_name"] == "Hafenwerk Nord"
    assert api("kim").delete(f"/api/account-plans/plans/{plan_id}").status_code == 204
    assert not AccountPlan.objects.exists()


def test_refusals_in_german(org, api, key_account):
    standard = make_account(org.kim, name="Standard AG")
    refused = send(
        api("kim", "de"),
        "post",
        "/api/account-plans/plans",
        {"account": standard.pk, "year": YEAR, "objectives": "x", "growth_target_percent": 1},
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"] == (
        "Account-Pläne gibt es für Key Accounts; Standard AG ist keiner."
    )
    unknown = send(
        api("kim"),
        "post",
        "/api/account-plans/plans",
        {
            "account": key_account.pk,
            "year": YEAR,
            "objectives": "x",
            "growth_target_percent": 1,
            "whitespace": [99999],
        },
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "whitespace"]
    invisible = send(
        api("bob"),
        "post",
        "/api/account-plans/plans",
        {"account": key_account.pk, "year": YEAR, "objectives": "x", "growth_target_percent": 1},
    )
    assert invisible.status_code == 422
    assert invisible.json()["detail"][0]["loc"] == ["body", "account"]
    assert not AccountPlan.objects.exists()


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("kim", True), ("hanna", True), ("mona", True), ("sam", False), ("alice", False)],
)
def test_reads_are_scoped(org, api, plan, persona, sees):
    client = api(persona)
    assert (client.get(f"/api/account-plans/plans/{plan.pk}").status_code == 200) is sees
    assert (client.get("/api/account-plans/plans").json()["count"] == 1) is sees


def test_managers_read_but_do_not_write(org, api, plan):
    refused = send(api("mona"), "patch", f"/api/account-plans/plans/{plan.pk}", {"risks": "x"})
    assert refused.status_code == 422
    assert api("mona").delete(f"/api/account-plans/plans/{plan.pk}").status_code == 422
    assert AccountPlan.objects.filter(pk=plan.pk, risks=plan.risks).exists()


def test_actions(org, api, plan):
    added = send(
        api("kim"),
        "post",
        f"/api/account-plans/plans/{plan.pk}/actions",
        {"title": "Workshop", "function": "marketing", "owner": org.bob.pk, "due_on": "2026-08-01"},
    )
    assert added.status_code == 201, added.content
    action_id = added.json()["id"]
    late = send(
        api("kim"),
        "post",
        f"/api/account-plans/plans/{plan.pk}/actions",
        {"title": "Late", "function": "marketing", "owner": org.bob.pk, "due_on": "2027-08-01"},
    )
    assert late.status_code == 422
    assert late.json()["detail"][0]["loc"] == ["body", "due_on"]
    bad_function = send(
        api("kim"),
        "post",
        f"/api/account-plans/plans/{plan.pk}/actions",
        {"title": "X", "function": "astrology", "owner": org.bob.pk, "due_on": "2026-08-01"},
    )
    assert bad_function.status_code == 422
    # bob owns the action: he may move its status, not its title
    moved = send(api("bob"), "patch", f"/api/account-plans/actions/{action_id}", {"status": "done"})
    assert moved.status_code == 200, moved.content
    assert moved.json()["completed_on"] is not None
    retitled = send(api("bob"), "patch", f"/api/account-plans/actions/{action_id}", {"title": "Y"})
    assert retitled.status_code == 422
    blocked = send(
        api("kim"), "patch", f"/api/account-plans/actions/{action_id}", {"status": "blocked"}
    )
    assert blocked.status_code == 422
    assert blocked.json()["detail"][0]["loc"] == ["body", "note"]
    assert api("sam").delete(f"/api/account-plans/actions/{action_id}").status_code == 404
    assert api("kim").delete(f"/api/account-plans/actions/{action_id}").status_code == 204
    assert not PlanAction.objects.filter(pk=action_id).exists()


def test_missing_plans(org, api, plan, key_account):
    other = make_account(org.kim, name="Another key", tier=Tier.KEY_ACCOUNT)
    body = api("kim").get(f"/api/account-plans/missing?year={YEAR}").json()
    assert [row["account"] for row in body] == [other.pk]
    next_year = api("kim").get(f"/api/account-plans/missing?year={YEAR + 1}").json()
    assert {row["account"] for row in next_year} == {other.pk, key_account.pk}
    assert api("alice").get(f"/api/account-plans/missing?year={YEAR}").json() == []


def test_qbr_figures(org, api, plan, key_account):
    with time_machine.travel(datetime.datetime(2026, 10, 20, 9, tzinfo=datetime.UTC), tick=False):
        body = api("kim").get(f"/api/account-plans/qbr/{key_account.pk}?period=2026Q3").json()
        default = api("kim").get(f"/api/account-plans/qbr/{key_account.pk}").json()
    lines = RevenueLine.objects.filter(account=key_account)
    q3 = sum(
        line.amount
        for line in lines
        if datetime.date(2026, 7, 1) <= line.invoiced_on <= datetime.date(2026, 9, 30)
    )
    assert Decimal(body["revenue_quarter"]) == q3
    assert default["period"] == "2026Q3"
    assert len(body["revenue_trend"]) == 8
    assert sum(Decimal(r["total"]) for r in body["revenue_trend"]) == sum(
        line.amount for line in lines if line.invoiced_on >= datetime.date(2024, 10, 1)
    )
    assert body["plan"] == plan.pk
    assert body["renewals"][0]["name"] == "Frame contract"
    assert body["renewals"][0]["risk_signals"]
    assert body["action_counts"]["open"] == 1
    bad = api("kim").get(f"/api/account-plans/qbr/{key_account.pk}?period=2026")
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "period"]
    assert api("sam").get(f"/api/account-plans/qbr/{key_account.pk}").status_code == 404
