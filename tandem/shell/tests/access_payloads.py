"""Valid input for the writes of the matrix: a write the table allows does happen, and a
refused one is refused for who sends it, not for what was sent (the API checks a body before
it looks at the caller, so an invalid body would hide the refusal behind a 422).

Each builder gets the records of the side called (`records`), the personas and the role; a
record named in the input is the side's, so outside the scope it is one the caller may not
use."""

from tandem.people.selectors import current_questionnaire, profile_for
from tandem.pipeline.models import Stage
from tandem.users.models import User

DAY = "2026-10-30"
LATER = "2027-06-30"  # after every onboarding plan of the scene starts


def web_form(route: str, records: dict, org, role: str) -> dict:
    builder = WEB_FORMS.get(route)
    return builder(records, org, role) if builder else {}


def api_body(route: str, records: dict, org, role: str) -> dict:
    builder = API_BODIES.get(route)
    return builder(records, org, role) if builder else {}


def _stage(code: str) -> int:
    return Stage.objects.get(code=code).pk


def _kam_for(records) -> int:
    """A KAM who does not own the account already."""
    kam = User.objects.get(username="kim" if records["account"].owner.username != "kim" else "kurt")
    return kam.pk


def _competency_of(candidate) -> str:
    return candidate.position.profile.expected_levels.first().competency.code


def _post_kind(role: str) -> str:
    return "announcement" if role == "manager" else "insight"


def _answers() -> dict:
    questionnaire = current_questionnaire()
    return {q.code: q.options.all()[0].code for q in questionnaire.questions.all()}


def _contact(records, org, role):
    return {
        "account": records["account"].pk,
        "first_name": "Ada",
        "last_name": "Matrix",
        "hierarchy_level": "manager",
        "buying_role": "influencer",
        "relationship_strength": 3,
        "is_active": "on",
    }


def _deal(records, org, role):
    deal = records["deal"]
    return {
        "name": "Matrix deal",
        "account": records["account"].pk,
        "value": "1500",
        "owner": deal.owner_id,
        "stage": _stage("qualifying"),
        "deal_type": "new_business",
    }


def _activity(records, org, role):
    return {
        "account": records["account"].pk,
        "kind": "call",
        "subject": "Matrix call",
        "occurred_at": "2026-01-05 10:00",
    }


def _plan(records, org, role):
    return {
        "account": records["key_account"].pk,
        "year": 2027,
        "objectives": "Grow",
        "growth_target_percent": "5",
    }


WEB_FORMS = {
    "accounts:account_contact_create": _contact,
    "accounts:contact_create": _contact,
    "accounts:contact_edit": lambda r, o, role: {
        **_contact(r, o, role),
        "account": r["contact"].account_id,
    },
    "pipeline:deal_create": _deal,
    "pipeline:deal_edit": lambda r, o, role: {**_deal(r, o, role), "account": r["deal"].account_id},
    "pipeline:deal_move": lambda r, o, role: {"stage": "qualifying"},
    "pipeline:deal_assign_account": lambda r, o, role: {"account": r["account"].pk},
    "activities:activity_create": _activity,
    "activities:activity_edit": lambda r, o, role: {
        **_activity(r, o, role),
        "account": r["activity"].account_id,
    },
    "sales:quota_list": lambda r, o, role: {
        "user": r["person"].pk,
        "metric": "won_value",
        "period": "2026Q4",
        "target": "500",
    },
    "accountplans:plan_create": _plan,
    "accountplans:plan_edit": lambda r, o, role: {**_plan(r, o, role), "year": 2026},
    "accountplans:action_add": lambda r, o, role: {
        "title": "Matrix action",
        "function": "sales",
        "owner": r["plan"].account.owner_id,
        "due_on": DAY,
        "status": "open",
    },
    "accountplans:action_status": lambda r, o, role: {"status": "done"},
    "renewals:outcome": lambda r, o, role: {"outcome": "renewed"},
    "keyaccounts:handover_propose": lambda r, o, role: {"to_kam": _kam_for(r)},
    "keyaccounts:handover_detail": lambda r, o, role: {
        "customer_needs": "Needs",
        "commitments": "Commitments",
        "risks": "Risks",
    },
    "keyaccounts:handover_reject": lambda r, o, role: {"reason": "Not yet"},
    "insights:feed": lambda r, o, role: {
        "kind": _post_kind(role),
        "title": "Matrix",
        "body": "Text",
    },
    "insights:edit": lambda r, o, role: {"kind": r["post"].kind, "title": "Edited", "body": "Text"},
    "compensation:what_if": lambda r, o, role: {"amount": "1000"},
    "compensation:band_edit": lambda r, o, role: {
        "minimum": "40000",
        "midpoint": "50000",
        "maximum": "60000",
    },
    "compensation:profile": lambda r, o, role: {"company_size": "medium", "industry": "software"},
    "hiring:position_create": lambda r, o, role: {
        "title": "Matrix rep",
        "team": r["position"].team_id,
        "profile": r["position"].profile_id,
    },
    "hiring:position_detail": lambda r, o, role: {"name": "Matrix candidate"},
    "hiring:position_status": lambda r, o, role: {"status": "closed"},
    "hiring:candidate_status": lambda r, o, role: {"status": "rejected"},
    "hiring:plan_detail": lambda r, o, role: {
        "title": "Matrix step",
        "owner": r["onboarding"].member_id,
        "due_on": LATER,
    },
    "hiring:step_done": lambda r, o, role: {"done": "1"},
    "coaching:rep_detail": lambda r, o, role: {"text": "Matrix note", "written_on": "2026-01-05"},
    "people:person_detail": lambda r, o, role: {"action": "goal", "goal-title": "Matrix goal"},
    "people:goal_status": lambda r, o, role: {"status": "done"},
    "people:rolefit": lambda r, o, role: _answers(),
    "api_tokens:token_list": lambda r, o, role: {"name": "Matrix token"},
    "approvals:reject": lambda r, o, role: {"note": "Not this quarter"},
}


def _comp_plan(plan=None) -> dict:
    """A new KAM role plan, or the same personal plan with other figures."""
    role = plan.role if plan else "kam"
    if role == "kam":
        component = {"metric": "account_growth", "weight": "100", "kpi_target": "0.1"}
    else:
        component = {"metric": "won_value", "weight": "100"}
    return {
        "name": "Matrix plan",
        "role": role,
        "user": plan.user_id if plan else None,
        "valid_from": "2026-01-01" if plan else "2027-01-01",
        "base_pay": "55000",
        "variable_target": "10000",
        "components": [component],
    }


API_BODIES = {
    "POST /api/accounts": lambda r, o, role: {"name": "Matrix account"},
    "PATCH /api/accounts/{account_id}": lambda r, o, role: {"city": "Bremen"},
    "POST /api/contacts": lambda r, o, role: {
        "account": r["account"].pk,
        "first_name": "Ada",
        "last_name": "Matrix",
        "hierarchy_level": "manager",
        "buying_role": "influencer",
    },
    "PATCH /api/contacts/{contact_id}": lambda r, o, role: {"job_title": "CFO"},
    "POST /api/deals": lambda r, o, role: {"name": "Matrix deal", "account": r["account"].pk},
    "PATCH /api/deals/{deal_id}": lambda r, o, role: {"value": "2000"},
    "PUT /api/forecast/deals/{deal_id}/category": lambda r, o, role: {"category": "commit"},
    "POST /api/activities": lambda r, o, role: {
        "kind": "call",
        "subject": "Matrix call",
        "occurred_at": "2026-01-05T10:00:00Z",
        "account": r["account"].pk,
    },
    "PATCH /api/activities/{activity_id}": lambda r, o, role: {"subject": "Changed"},
    "POST /api/products": lambda r, o, role: {"code": "MATRIX", "name": "Matrix"},
    "PATCH /api/products/{product_id}": lambda r, o, role: {"name": "Renamed"},
    "POST /api/key-accounts/handovers": lambda r, o, role: {
        "account": r["account"].pk,
        "to_kam": _kam_for(r),
    },
    "POST /api/key-accounts/handovers/{handover_id}/submit": lambda r, o, role: {
        "customer_needs": "Needs",
        "commitments": "Commitments",
        "risks": "Risks",
    },
    "POST /api/key-accounts/handovers/{handover_id}/reject": lambda r, o, role: {"reason": "No"},
    "POST /api/people/role-fit": lambda r, o, role: {"answers": _answers()},
    "POST /api/people/people/{person_id}/assessments": lambda r, o, role: {
        # the rep and the KAM assess themselves, the others as the person's manager
        "kind": "self" if role in ("rep", "kam") else "manager",
        "levels": {
            level.competency.code: 3 for level in profile_for(r["person"]).expected_levels.all()
        },
    },
    "PUT /api/kpis/quotas": lambda r, o, role: {
        "user": r["person"].pk,
        "metric": "won_value",
        "period": "2026Q4",
        "target": "500",
    },
    "POST /api/account-plans/plans": lambda r, o, role: {
        "account": r["key_account"].pk,
        "year": 2027,
        "objectives": "Grow",
        "growth_target_percent": "5",
    },
    "PATCH /api/account-plans/plans/{plan_id}": lambda r, o, role: {"objectives": "More"},
    "POST /api/account-plans/plans/{plan_id}/actions": lambda r, o, role: {
        "title": "Matrix action",
        "function": "sales",
        "owner": r["plan"].account.owner_id,
        "due_on": DAY,
    },
    "PATCH /api/account-plans/actions/{action_id}": lambda r, o, role: {"status": "done"},
    "POST /api/renewals/contracts/{contract_id}/outcome": lambda r, o, role: {"outcome": "renewed"},
    "POST /api/insights": lambda r, o, role: {"kind": _post_kind(role), "title": "M", "body": "T"},
    "PATCH /api/insights/{post_id}": lambda r, o, role: {"title": "Edited"},
    "POST /api/compensation/plans": lambda r, o, role: _comp_plan(),
    "PUT /api/compensation/plans/{plan_id}": lambda r, o, role: _comp_plan(r["comp_plan"]),
    "POST /api/compensation/what-if": lambda r, o, role: {"amount": "1000"},
    "PUT /api/compensation/bands/{band_id}": lambda r, o, role: {
        "minimum": "40000",
        "midpoint": "50000",
        "maximum": "60000",
    },
    "PUT /api/compensation/company-profile": lambda r, o, role: {
        "company_size": "medium",
        "industry": "software",
    },
    "POST /api/hiring/positions": lambda r, o, role: {
        "title": "Matrix rep",
        "team": r["position"].team_id,
        "role": "rep",
    },
    "POST /api/hiring/positions/{position_id}/status": lambda r, o, role: {"status": "closed"},
    "POST /api/hiring/positions/{position_id}/candidates": lambda r, o, role: {"name": "C"},
    "POST /api/hiring/candidates/{candidate_id}/status": lambda r, o, role: {"status": "rejected"},
    "POST /api/hiring/candidates/{candidate_id}/scores": lambda r, o, role: {
        "scores": [{"competency": _competency_of(r["candidate"]), "score": 3}]
    },
    "POST /api/hiring/onboarding": lambda r, o, role: {"member": r["person"].pk},
    "POST /api/hiring/onboarding/{plan_id}/steps": lambda r, o, role: {
        "title": "Matrix step",
        "owner": r["onboarding"].member_id,
        "due_on": LATER,
    },
    "POST /api/hiring/onboarding/{plan_id}/steps/{step_id}/done": lambda r, o, role: {"done": True},
    "POST /api/coaching/reps/{rep_id}/notes": lambda r, o, role: {"text": "Matrix note"},
    "PATCH /api/coaching/notes/{note_id}": lambda r, o, role: {"text": "Changed"},
    "POST /api/approvals/{approval_id}/reject": lambda r, o, role: {"note": "Not this quarter"},
}
