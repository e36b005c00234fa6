"""The key-account endpoints: rules, candidates and the handover steps."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tandem.accounts.models import Account, Tier
from tandem.keyaccounts.models import Handover, HandoverStatus
from tandem.keyaccounts.services import evaluate_and_store
from tandem.keyaccounts.tests.conftest import complete_texts
from testsupport.builders import make_account, make_contact


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_rules_are_readable(org, api, rules):
    body = api("alice").get("/api/key-accounts/rules").json()
    assert body["kam_capacity"] == rules.kam_capacity
    assert body["strategic_enabled"] is True


def test_candidates_with_reasons_in_the_callers_language(org, api):
    account = make_account(org.alice, name="Strategic", is_strategic=True)
    evaluation = evaluate_and_store()  # the day's work
    body = api("mona").get("/api/key-accounts/candidates").json()
    assert body["up_to_date"] and body["job"] is None
    said = datetime.datetime.fromisoformat(body["evaluated_at"])
    assert abs(said - evaluation.evaluated_at) < datetime.timedelta(milliseconds=1)
    assert [c["account"] for c in body["qualifying"]] == [account.pk]
    assert body["qualifying"][0]["reasons"][0]["rule"] == "strategic"
    assert api("sam").get("/api/key-accounts/candidates").json()["qualifying"] == []
    german = api("mona", "de").get("/api/key-accounts/candidates").json()
    assert german["qualifying"][0]["reasons"][0]["text"] == "als strategisch markiert"


def test_a_handover_from_proposal_to_acceptance(org, api):
    account = make_account(org.alice, name="Acme", is_strategic=True)
    created = post(
        api("mona"), "/api/key-accounts/handovers", {"account": account.pk, "to_kam": org.kim.pk}
    )
    assert created.status_code == 201, created.content
    handover_id = created.json()["id"]
    assert created.json()["reasons"][0]["rule"] == "strategic"
    missing = post(
        api("mona"), f"/api/key-accounts/handovers/{handover_id}/submit", {"risks": "CFO"}
    )
    assert missing.status_code == 422
    assert "Missing: customer needs, commitments made" in missing.json()["detail"][0]["msg"]
    submitted = post(
        api("mona"), f"/api/key-accounts/handovers/{handover_id}/submit", complete_texts()
    )
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    assert (
        post(
            api("kim"), f"/api/key-accounts/handovers/{handover_id}/reject", {"reason": " "}
        ).status_code
        == 422
    )
    accepted = post(api("kim"), f"/api/key-accounts/handovers/{handover_id}/accept")
    assert accepted.status_code == 200, accepted.content
    account.refresh_from_db()
    assert (account.owner, account.tier) == (org.kim, Tier.KEY_ACCOUNT)
    assert api("kim").get(f"/api/key-accounts/handovers/{handover_id}").json()["dossier"]


def test_bad_proposals_are_refused_with_nothing_changed(org, api):
    account = make_account(org.alice)
    bob = post(
        api("bob"), "/api/key-accounts/handovers", {"account": account.pk, "to_kam": org.kim.pk}
    )
    assert bob.status_code == 422 and bob.json()["detail"][0]["loc"] == ["body", "account"]
    not_kam = post(
        api("alice"), "/api/key-accounts/handovers", {"account": account.pk, "to_kam": org.bob.pk}
    )
    assert not_kam.status_code == 422
    assert not_kam.json()["detail"][0]["loc"] == ["body", "to_kam"]
    assert not Handover.objects.exists()
    assert Account.objects.get(pk=account.pk).owner == org.alice


def test_handovers_are_visible_only_to_those_involved(org, api):
    account = make_account(org.alice)
    handover_id = post(
        api("alice"), "/api/key-accounts/handovers", {"account": account.pk, "to_kam": org.kim.pk}
    ).json()["id"]
    assert api("bob").get(f"/api/key-accounts/handovers/{handover_id}").status_code == 404
    assert api("bob").get("/api/key-accounts/handovers").json()["count"] == 0
    for name in ("alice", "mona", "kim", "hanna"):
        listed = api(name).get("/api/key-accounts/handovers?status=proposed").json()
        assert [h["id"] for h in listed["items"]] == [handover_id], name
    assert api("hanna").get("/api/key-accounts/handovers?status=accepted").json()["count"] == 0
    assert Handover.objects.get().status == HandoverStatus.PROPOSED


def test_stakeholder_map_and_before_after_through_the_api(org, api):
    account = make_account(org.alice, name="Acme")
    make_contact(account, hierarchy_level="c_level", buying_role="decision_maker")
    body = api("alice").get(f"/api/key-accounts/accounts/{account.pk}/stakeholders").json()
    assert [c["hierarchy_level"] for c in body["contacts"]] == ["c_level"]
    assert [g["code"] for g in body["gaps"]] == ["no_decision_maker_reached", "single_threaded"]
    assert (
        api("bob").get(f"/api/key-accounts/accounts/{account.pk}/stakeholders").status_code == 404
    )
    handover_id = post(
        api("alice"), "/api/key-accounts/handovers", {"account": account.pk, "to_kam": org.kim.pk}
    ).json()["id"]
    assert (
        api("alice")
        .get(f"/api/key-accounts/handovers/{handover_id}")
        .json()["revenue_before_after"]
        is None
    )
    post(api("alice"), f"/api/key-accounts/handovers/{handover_id}/submit", complete_texts())
    post(api("kim"), f"/api/key-accounts/handovers/{handover_id}/accept")
    shown = api("kim").get(f"/api/key-accounts/handovers/{handover_id}").json()
    assert Decimal(shown["revenue_before_after"]["before"]) == 0
    assert shown["revenue_before_after"]["complete"] is False


def test_overdue_handovers_are_flagged_in_the_api(org, api, rules):

    account = make_account(org.alice)
    handover_id = post(
        api("alice"), "/api/key-accounts/handovers", {"account": account.pk, "to_kam": org.kim.pk}
    ).json()["id"]
    assert api("alice").get("/api/key-accounts/handovers").json()["items"][0]["overdue"] is False
    Handover.objects.filter(pk=handover_id).update(
        created_at=timezone.now() - datetime.timedelta(days=rules.handover_overdue_days + 1)
    )
    assert api("alice").get("/api/key-accounts/handovers").json()["items"][0]["overdue"] is True
    assert api("kim").get(f"/api/key-accounts/handovers/{handover_id}").json()["overdue"] is True
