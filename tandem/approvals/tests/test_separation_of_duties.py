"""Separation of duties: a change that raises one's own pay waits for a second person.

alice (rep, team North under mona) wins her own big deal: mona, the Head of Sales or an admin
approves it; alice, sam (another team) and kim (a KAM) cannot. mona changes her own team's
quota: the Head of Sales or an admin approves it (mona manages herself).
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from tandem.approvals.models import Approval, ApprovalRule, ApprovalRules, ApprovalStatus
from tandem.approvals.services import approve, reject
from tandem.audit.models import AuditEvent
from tandem.core.errors import DomainError
from tandem.pipeline.models import Deal, Stage, StageChange
from tandem.pipeline.services import move_deal_to_stage, update_deal
from tandem.quotas.models import Quota
from tandem.quotas.services import set_quota
from testsupport.api import send, token_client
from testsupport.builders import PASSWORD, make_account, make_deal

BIG = Decimal("60000")


def won() -> Stage:
    return Stage.objects.get(code="won")


def big_deal(org, **fields) -> Deal:
    return make_deal(org.alice, account=make_account(org.alice), value=BIG, **fields)


# --- deals -----------------------------------------------------------------------------------


def test_winning_ones_own_big_deal_waits_for_approval(org):
    deal = big_deal(org)
    result = move_deal_to_stage(deal, won(), acting_user=org.alice)
    assert isinstance(result, Approval)
    assert (result.rule, result.status, result.requested_by) == (
        ApprovalRule.OWN_DEAL_WON,
        ApprovalStatus.PENDING,
        org.alice,
    )
    deal.refresh_from_db()
    assert deal.stage.code == "prospecting"
    assert not StageChange.objects.filter(deal=deal, to_stage__code="won").exists()
    asked = AuditEvent.objects.get(action="approval.requested")
    assert asked.actor == org.alice


def test_a_small_own_deal_and_someone_elses_deal_are_won_at_once(org):
    small = make_deal(org.alice, value=Decimal("49999.99"))
    assert isinstance(move_deal_to_stage(small, won(), acting_user=org.alice), Deal)
    theirs = big_deal(org)
    assert isinstance(move_deal_to_stage(theirs, won(), acting_user=org.mona), Deal)
    assert not Approval.objects.exists()


def test_the_rules_switch_off_and_set_the_threshold(org):
    rules = ApprovalRules.current()
    rules.win_threshold = Decimal("100000")
    rules.save()
    assert isinstance(move_deal_to_stage(big_deal(org), won(), acting_user=org.alice), Deal)
    rules.win_threshold = Decimal("1000")
    rules.own_deal_wins = False
    rules.save()
    assert isinstance(move_deal_to_stage(big_deal(org), won(), acting_user=org.alice), Deal)
    assert not Approval.objects.exists()


def test_raising_the_value_of_ones_own_won_deal_waits(org):
    deal = make_deal(org.alice, stage_code="won", value=Decimal("100"))
    result = update_deal(deal, acting_user=org.alice, value=Decimal("90000"))
    assert isinstance(result, Approval)
    assert result.rule == ApprovalRule.OWN_WON_DEAL_VALUE
    assert result.changes == {"value": ["100.00", "90000"]}
    assert Deal.objects.get(pk=deal.pk).value == Decimal("100")
    lowered = update_deal(deal, acting_user=org.alice, value=Decimal("50"))
    assert isinstance(lowered, Deal) and lowered.value == Decimal("50")


def test_the_managers_approval_applies_the_change_as_the_asker_made_it(org):
    deal = big_deal(org)
    asked = update_deal(deal, acting_user=org.alice, stage=won(), name="Big win")
    decided = approve(asked, acting_user=org.mona)
    assert (decided.status, decided.decided_by) == (ApprovalStatus.APPROVED, org.mona)
    deal.refresh_from_db()
    assert (deal.stage.code, deal.name) == ("won", "Big win")
    move = StageChange.objects.get(deal=deal, to_stage__code="won")
    assert move.changed_by == org.alice
    approved = AuditEvent.objects.get(action="approval.approved")
    assert approved.actor == org.mona


@pytest.mark.parametrize("decider", ["alice", "sam", "kim", "bob"])
def test_nobody_approves_their_own_change_nor_someone_elses_teams(org, decider):
    asked = move_deal_to_stage(big_deal(org), won(), acting_user=org.alice)
    with pytest.raises(PermissionDenied):
        approve(asked, acting_user=getattr(org, decider))
    assert Approval.objects.get(pk=asked.pk).status == ApprovalStatus.PENDING


@pytest.mark.parametrize("decider", ["mona", "hanna", "otto"])
def test_the_manager_the_head_of_sales_or_an_admin_approve(org, decider):
    deal = big_deal(org)
    asked = move_deal_to_stage(deal, won(), acting_user=org.alice)
    approve(asked, acting_user=getattr(org, decider))
    assert Deal.objects.get(pk=deal.pk).stage.code == "won"


def test_a_rejection_says_why_and_changes_nothing(org):
    deal = big_deal(org)
    asked = move_deal_to_stage(deal, won(), acting_user=org.alice)
    with pytest.raises(DomainError):
        reject(asked, acting_user=org.mona, note=" ")
    reject(asked, acting_user=org.mona, note="No signed order yet.")
    assert Deal.objects.get(pk=deal.pk).stage.code == "prospecting"
    rejected = AuditEvent.objects.get(action="approval.rejected")
    assert (rejected.actor, rejected.changes) == (org.mona, {"note": "No signed order yet."})
    with pytest.raises(DomainError):
        approve(asked, acting_user=org.hanna)


def test_a_change_is_approved_once(org):
    asked = move_deal_to_stage(big_deal(org), won(), acting_user=org.alice)
    approve(asked, acting_user=org.mona)
    with pytest.raises(DomainError):
        approve(asked, acting_user=org.hanna)
    assert StageChange.objects.filter(to_stage__code="won").count() == 1


# --- quotas ----------------------------------------------------------------------------------


def test_a_manager_changing_their_own_teams_quota_waits_for_the_head_of_sales(org):
    kwargs = {"team": org.north, "metric": "won_value", "period": "2026Q3"}
    set_quota(acting_user=org.hanna, target=500000, **kwargs)
    asked = set_quota(acting_user=org.mona, target=1000, **kwargs)
    assert isinstance(asked, Approval) and asked.rule == ApprovalRule.OWN_QUOTA
    assert asked.changes == {"target": ["500000.00", "1000.00"]}
    assert Quota.objects.get().target == 500000
    with pytest.raises(PermissionDenied):
        approve(asked, acting_user=org.mona)  # she manages North herself
    approve(asked, acting_user=org.hanna)
    assert Quota.objects.get().target == 1000


def test_a_manager_sets_their_reps_quota_at_once(org):
    quota = set_quota(
        acting_user=org.mona, user=org.alice, metric="won_value", period="2026", target=10
    )
    assert isinstance(quota, Quota)


def test_the_head_of_sales_own_quota_waits_for_an_admin(org):
    asked = set_quota(
        acting_user=org.hanna, user=org.hanna, metric="won_value", period="2026", target=1
    )
    assert isinstance(asked, Approval)
    approve(asked, acting_user=org.otto)
    assert Quota.objects.get(user=org.hanna).target == 1


def test_quota_rules_switch_off(org):
    rules = ApprovalRules.current()
    rules.own_quotas = False
    rules.save()
    quota = set_quota(
        acting_user=org.mona, team=org.north, metric="won_value", period="2026", target=1
    )
    assert isinstance(quota, Quota)


# --- API -------------------------------------------------------------------------------------


def test_the_api_answers_202_with_the_pending_change(org):
    deal = big_deal(org)
    response = send(
        token_client(org.alice),
        "patch",
        f"/api/deals/{deal.pk}",
        {"stage": "won", "approval_note": "Signed today."},
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["status"], body["rule"], body["note"]) == (
        "pending",
        "own_deal_won",
        "Signed today.",
    )
    assert body["kind"] == "deal.change" and body["subject_id"] == str(deal.pk)
    assert Deal.objects.get(pk=deal.pk).stage.code == "prospecting"

    mona = token_client(org.mona)
    assert [each["id"] for each in mona.get("/api/approvals").json()] == [body["id"]]
    assert token_client(org.alice).get("/api/approvals").json() == []
    refused = send(token_client(org.alice), "post", f"/api/approvals/{body['id']}/approve")
    assert refused.status_code == 403
    done = send(mona, "post", f"/api/approvals/{body['id']}/approve")
    assert done.status_code == 200, done.content
    assert Deal.objects.get(pk=deal.pk).stage.code == "won"


def test_the_quota_api_answers_202(org):
    response = send(
        token_client(org.mona),
        "put",
        "/api/kpis/quotas",
        {"team": org.north.pk, "metric": "won_value", "period": "2026Q3", "target": "1"},
    )
    assert response.status_code == 202, response.content
    assert not Quota.objects.exists()
    rejected = send(
        token_client(org.hanna),
        "post",
        f"/api/approvals/{response.json()['id']}/reject",
        {"note": "Too low."},
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"


# --- web -------------------------------------------------------------------------------------


def logged_in(user, language="en") -> Client:
    client = Client(headers={"Accept-Language": language})
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_approver_sees_the_change_and_approves_it_on_the_web(org):
    deal = big_deal(org, name="Turbine order")
    alice = logged_in(org.alice)
    moved = alice.post(f"/deals/{deal.pk}/move/", {"stage": "won"}, follow=True)
    assert "waits for approval" in moved.content.decode()
    assert Deal.objects.get(pk=deal.pk).stage.code == "prospecting"
    asked = Approval.objects.get()

    page = logged_in(org.mona, "de").get("/approvals/").content.decode()
    assert "Turbine order" in page and "Freigeben" in page
    assert f'action="/approvals/{asked.pk}/approve/"' in page
    assert (
        "Turbine order"
        not in alice.get("/approvals/").content.decode().split('id="approvals-mine"')[0]
    )

    logged_in(org.mona).post(f"/approvals/{asked.pk}/approve/")
    assert Deal.objects.get(pk=deal.pk).stage.code == "won"


def test_the_board_puts_the_card_back_and_says_why(org):
    deal = big_deal(org)
    response = logged_in(org.alice).post(
        f"/deals/{deal.pk}/move/", {"stage": "won"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 202
    assert "waits for approval" in response.content.decode()


def test_the_deal_form_says_the_change_waits(org):
    deal = big_deal(org)
    data = {
        "name": deal.name,
        "account": deal.account_id,
        "value": "60000",
        "owner": org.alice.pk,
        "stage": won().pk,
        "deal_type": deal.deal_type,
        "lost_reason": "",
        "version": deal.version,
    }
    response = logged_in(org.alice, "de").post(f"/deals/{deal.pk}/edit/", data, follow=True)
    assert "wartet auf die Freigabe" in response.content.decode()
    assert Deal.objects.get(pk=deal.pk).stage.code == "prospecting"


def test_a_rejection_without_reason_is_refused_on_the_web(org):
    asked = move_deal_to_stage(big_deal(org), won(), acting_user=org.alice)
    page = logged_in(org.mona).post(f"/approvals/{asked.pk}/reject/", follow=True)
    assert "Say why you reject this change." in page.content.decode()
    assert Approval.objects.get(pk=asked.pk).status == ApprovalStatus.PENDING


def test_a_big_own_deal_cannot_be_created_won(org):
    response = send(
        token_client(org.alice),
        "post",
        "/api/deals",
        {"name": "Shortcut", "value": "60000", "stage": "won"},
    )
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"] == ["body", "stage"]
    assert not Deal.objects.filter(name="Shortcut").exists()


def test_making_a_deal_ones_own_and_winning_it_in_one_edit_waits(org):
    deal = big_deal(org)
    result = update_deal(deal, acting_user=org.mona, owner=org.mona, stage=won())
    assert isinstance(result, Approval)
    assert Deal.objects.get(pk=deal.pk).owner == org.alice


# --- the rules -------------------------------------------------------------------------------


def test_sales_operations_change_the_rules_on_the_web_audited(org):
    assert logged_in(org.mona).get("/approvals/rules/").status_code == 403
    page = logged_in(org.otto).get("/approvals/").content.decode()
    assert 'href="/approvals/rules/"' in page
    response = logged_in(org.otto, "de").post(
        "/approvals/rules/", {"own_quotas": "on", "win_threshold": "75000,50"}
    )
    assert response.status_code == 302
    rules = ApprovalRules.current()
    assert (rules.own_quotas, rules.own_deal_wins, rules.win_threshold) == (
        True,
        False,
        Decimal("75000.50"),
    )
    changed = AuditEvent.objects.get(action="approval_rules.updated")
    assert changed.actor == org.otto and set(changed.changes) == {"own_deal_wins", "win_threshold"}
    refused = logged_in(org.otto).post("/approvals/rules/", {"win_threshold": "-1"})
    assert refused.status_code == 200
    assert ApprovalRules.current().win_threshold == Decimal("75000.50")


def test_an_approved_form_edit_leaves_what_others_changed_meanwhile(org):
    """The deal form sends every field; only those the asker changed wait for approval."""
    deal = big_deal(org, name="Old name")
    asked = update_deal(
        deal, acting_user=org.alice, name="Old name", value=BIG, stage=won(), lost_reason=""
    )
    assert set(asked.payload["changes"]) == {"stage"}
    update_deal(deal, acting_user=org.mona, name="Renamed by Mona")
    approve(asked, acting_user=org.mona)
    deal.refresh_from_db()
    assert (deal.name, deal.stage.code) == ("Renamed by Mona", "won")
