"""Who may call which route: one table for every web page and every API operation.

One table in the shell rather than one per app, because the shell is the floor that owns the
root URLs and the API root, and because the question it answers is asked across apps ("what
may a KAM do?"): read down a column to see one role, along a row to see one route. The
authorisation matrix (`shell/tests/test_access_matrix.py`) calls every route with every role,
on a record inside and one outside the role's scope, and fails on a route missing here, so a
new route cannot be forgotten.

Each row names the record the route works on (None when it takes none) and, for reading and
for writing, one letter per role in the order of `ROLES`:

    A  allowed, whatever the record (2xx; a form's redirect only after it wrote something)
    S  allowed on a record inside the role's scope, refused (403 or 404) outside it
    V  allowed inside the scope; a record outside it, named in the form, is invalid input
       (the form again with the field marked, or 422) and nothing is written
    R  refused (403 or 404), and nothing is written
    L  sent to the login page (signing out)
    -  not called (the route does not take this method)

A signed-out visitor is sent to the login page (a 401 from the API) unless `anonymous` says
otherwise. The web writes with POST, the API with the operation's own method. The rows
declare what the routes do today; a change of who may do what is a change of this table.
The records and the scopes are built in `shell/tests/access_scene.py`.
"""

from dataclasses import dataclass

# The roles in the order of the letters; each is played by one persona (testsupport.builders).
ROLES = ("rep", "manager", "kam", "head", "admin")

LOGIN = "L"


@dataclass(frozen=True)
class Access:
    record: str | None
    read: str
    write: str = "-----"
    anonymous: str = LOGIN  # L (login / 401), A (allowed) or R (refused)

    def expected(self, method: str, role: str) -> str:
        letters = self.read if method == "GET" else self.write
        return letters[ROLES.index(role)]


# Web pages, by URL name. The admin site (Django's, staff only) is checked as a whole.
WEB: dict[str, Access] = {
    "home": Access(None, "AAAAA"),
    "login": Access(None, "AAAAA", "AAAAA", anonymous="A"),
    "logout": Access(None, "-----", "LLLLL"),
    "password_change": Access(None, "AAAAA", "AAAAA"),
    "password_change_done": Access(None, "AAAAA"),
    "set_language": Access(None, "-----", "AAAAA", anonymous="A"),
    "api:api-root": Access(None, "RRRRR", anonymous="R"),  # /api/ itself: nothing there
    "api:openapi-json": Access(None, "AAAAA", anonymous="A"),
    "api:openapi-view": Access(None, "AAAAA", anonymous="A"),
    "accounts:account_list": Access(None, "AAAAA"),
    "accounts:account_detail": Access("account", "SSSAA"),
    "accounts:account_contact_create": Access("account", "SSSAA", "SSSAA"),
    "accounts:contact_list": Access(None, "AAAAA"),
    "accounts:contact_create": Access("account", "AAAAA", "VVVAA"),
    "accounts:contact_edit": Access("contact", "SSSAA", "SSSAA"),
    "pipeline:deal_list": Access(None, "AAAAA"),
    "pipeline:deal_export": Access(None, "AAAAA"),
    "pipeline:deal_create": Access("account", "AAAAA", "VVVAA"),
    "pipeline:board": Access(None, "AAAAA"),
    "pipeline:account_options": Access(None, "AAAAA"),
    "pipeline:deal_detail": Access("deal", "SSSAA"),
    "pipeline:deal_edit": Access("deal", "SSSAA", "SSSAA"),
    "pipeline:deal_move": Access("deal", "-----", "SSSAA"),
    "pipeline:deal_assign_account": Access("loose_deal", "-----", "SSSAA"),
    "activities:activity_list": Access(None, "AAAAA"),
    "activities:activity_create": Access("account", "AAAAA", "VVVAA"),
    "activities:activity_edit": Access("activity", "SSSAA", "SSSAA"),
    "imports:import_list": Access(None, "RRRRA"),
    # a job is seen by whoever asked for it; admins see and retry every job
    "jobs:job_list": Access(None, "RRRRA"),
    "jobs:job": Access("job", "SRSRA"),
    "jobs:download": Access("job", "SRSRA"),
    "jobs:retry": Access("failed_job", "-----", "RRRRA"),
    "sales:cockpit": Access(None, "AAAAA"),
    "sales:forecast_ahead": Access(None, "RARAA", "RARAA"),
    "sales:team_names": Access(None, "RARAA"),
    "sales:quota_list": Access("person", "AAAAA", "RVRVA"),
    "sales:quota_delete": Access("quota", "-----", "RSRAA"),
    "forecast:overview": Access(None, "RARAA", "RARAA"),
    "accountplans:plan_list": Access(None, "AAAAA"),
    "accountplans:plan_create": Access("key_account", "AAAAA", "VVVAA"),
    "accountplans:plan_detail": Access("plan", "SSSAA"),
    "accountplans:plan_edit": Access("plan", "SSSAA", "SSSAA"),
    "accountplans:plan_delete": Access("plan", "-----", "SSSAA"),
    "accountplans:action_add": Access("plan", "-----", "SSSAA"),
    "accountplans:action_status": Access("action", "-----", "SSSAA"),
    "accountplans:action_delete": Access("action", "-----", "SSSAA"),
    "accountplans:qbr": Access("key_account", "SSSAA"),
    "accountplans:qbr_pdf": Access("key_account", "SSSAA"),
    "renewals:upcoming": Access(None, "AAAAA"),
    "renewals:rates": Access(None, "AAAAA"),
    "renewals:outcome": Access("contract", "SSSAA", "SSSAA"),
    "portfolio:whitespace": Access(None, "RAAAA"),
    "portfolio:account": Access("account", "RSSAA"),
    "keyaccounts:overview": Access(None, "AAAAA"),
    "keyaccounts:rules": Access(None, "RRRRA", "RRRRA"),
    "keyaccounts:evaluate": Access(None, "-----", "RRRRA"),
    "keyaccounts:conflicts": Access(None, "AAAAA"),
    "keyaccounts:stakeholder_map": Access("account", "SSSAA"),
    "keyaccounts:handover_list": Access(None, "AAAAA"),
    "keyaccounts:handover_propose": Access("account", "SSSAA", "SSSAA"),
    "keyaccounts:handover_detail": Access("handover", "SSSAA", "SSRAA"),
    "keyaccounts:handover_accept": Access("submitted_handover", "-----", "RRSRR"),
    "keyaccounts:handover_reject": Access("submitted_handover", "-----", "RRSRR"),
    "keyaccounts:handover_withdraw": Access("handover", "-----", "SSRAA"),
    "kam:cockpit": Access(None, "RAAAA", "RRRRA"),
    "kam:concentration": Access(None, "RAAAA", "RRRRA"),
    "insights:feed": Access(None, "AAAAA", "RAAAA"),
    # only its author changes a post (a rep reads no announcements)
    "insights:edit": Access("post", "RSSRR", "RSSRR"),
    "insights:delete": Access("post", "-----", "RSSRR"),
    "compensation:overview": Access(None, "AAAAA"),
    "compensation:statement": Access("person", "SSSAA"),
    "compensation:what_if": Access("person", "SSSAA", "SSSAA"),
    "compensation:plans": Access(None, "AAAAA"),
    "compensation:plan_new": Access(None, "RRRRA", "RRRRA"),
    "compensation:plan_edit": Access("comp_plan", "RRRRA", "RRRRA"),
    "compensation:plan_delete": Access("comp_plan", "-----", "RRRRA"),
    "compensation:bands": Access(None, "AAAAA"),
    "compensation:band_edit": Access("band", "RRRRA", "RRRRA"),
    "compensation:profile": Access(None, "-----", "RRRRA"),
    "hiring:overview": Access(None, "AAAAA"),
    "hiring:position_create": Access("position", "RARAA", "RVRAA"),
    "hiring:position_detail": Access("position", "RSRAA", "RSRAA"),
    "hiring:position_status": Access("position", "-----", "RSRAA"),
    "hiring:candidate_detail": Access("candidate", "RSRAA", "RSRAA"),
    "hiring:candidate_status": Access("candidate", "-----", "RSRAA"),
    "hiring:onboarding": Access(None, "AAAAA", "RARAA"),
    "hiring:plan_detail": Access("onboarding", "RSRAA", "RSRAA"),
    "hiring:step_done": Access("step", "-----", "RSRAA"),
    "coaching:overview": Access(None, "AAAAA"),
    # coaching stays between a rep and their manager: seeing everything does not widen it
    "coaching:rep_detail": Access("person", "SSSRR", "SSSRR"),
    "coaching:note_delete": Access("note", "-----", "RSSRR"),
    "people:overview": Access(None, "AAAAA", anonymous="A"),
    "people:rolefit": Access(None, "AAAAA", "AAAAA", anonymous="A"),
    "people:rolefit_result": Access("rolefit", "AAAAA", anonymous="A"),
    "people:competencies": Access(None, "AAAAA", anonymous="A"),
    "people:people_list": Access(None, "AAAAA"),
    "people:person_detail": Access("person", "SSSAA", "SSSAA"),
    "people:goal_status": Access("goal", "-----", "SSSAA"),
    "api_tokens:token_list": Access(None, "AAAAA", "AAAAA"),
    "api_tokens:token_revoke": Access("token", "-----", "SSSSS"),  # one's own tokens only
    "approvals:approval_list": Access(None, "AAAAA"),
    "approvals:rules_edit": Access(None, "RRRRA", "RRRRA"),
    # a change is decided by someone with authority over its asker, never by the asker
    "approvals:approve": Access("approval", "-----", "RSRAA"),
    "approvals:reject": Access("approval", "-----", "RSRAA"),
}

# API operations, by method and path as the OpenAPI schema names them.
API: dict[str, Access] = {
    "GET /api/accounts": Access(None, "AAAAA"),
    "POST /api/accounts": Access(None, "-----", "AAAAA"),
    "GET /api/accounts/{account_id}": Access("account", "SSSAA"),
    "PATCH /api/accounts/{account_id}": Access("account", "-----", "SSSAA"),
    # whoever may change an account may delete it when nothing hangs on it (no web page does)
    "DELETE /api/accounts/{account_id}": Access("empty_account", "-----", "SSSAA"),
    "GET /api/contacts": Access(None, "AAAAA"),
    "POST /api/contacts": Access(None, "-----", "AAAAA"),
    "GET /api/contacts/{contact_id}": Access("contact", "SSSAA"),
    "PATCH /api/contacts/{contact_id}": Access("contact", "-----", "SSSAA"),
    "DELETE /api/contacts/{contact_id}": Access("contact", "-----", "SSSAA"),
    "GET /api/deals": Access(None, "AAAAA"),
    "POST /api/deals": Access(None, "-----", "AAAAA"),
    "GET /api/deals/{deal_id}": Access("deal", "SSSAA"),
    "PATCH /api/deals/{deal_id}": Access("deal", "-----", "SSSAA"),
    "DELETE /api/deals/{deal_id}": Access("deal", "-----", "SSSAA"),
    "GET /api/forecast": Access(None, "RARAA"),
    "POST /api/forecast/learn": Access(None, "-----", "RARAA"),
    "PUT /api/forecast/deals/{deal_id}/category": Access("deal", "-----", "SSSAA"),
    "GET /api/activities": Access(None, "AAAAA"),
    "POST /api/activities": Access(None, "-----", "AAAAA"),
    "GET /api/activities/{activity_id}": Access("activity", "SSSAA"),
    "PATCH /api/activities/{activity_id}": Access("activity", "-----", "SSSAA"),
    "DELETE /api/activities/{activity_id}": Access("activity", "-----", "SSSAA"),
    "GET /api/products": Access(None, "AAAAA"),
    "POST /api/products": Access(None, "-----", "RRRRA"),
    "GET /api/products/{product_id}": Access("product", "AAAAA"),
    "PATCH /api/products/{product_id}": Access("product", "-----", "RRRRA"),
    "DELETE /api/products/{product_id}": Access("spare_product", "-----", "RRRRA"),
    "GET /api/key-accounts/rules": Access(None, "AAAAA"),
    "GET /api/key-accounts/candidates": Access(None, "AAAAA"),
    "POST /api/key-accounts/candidates/evaluate": Access(None, "-----", "RRRRA"),
    "GET /api/key-accounts/handovers": Access(None, "AAAAA"),
    "POST /api/key-accounts/handovers": Access(None, "-----", "AAAAA"),
    "GET /api/key-accounts/handovers/{handover_id}": Access("handover", "SSSAA"),
    "POST /api/key-accounts/handovers/{handover_id}/submit": Access("handover", "-----", "SSRAA"),
    "POST /api/key-accounts/handovers/{handover_id}/accept": Access(
        "submitted_handover", "-----", "RRSRR"
    ),
    "POST /api/key-accounts/handovers/{handover_id}/reject": Access(
        "submitted_handover", "-----", "RRSRR"
    ),
    "GET /api/key-accounts/accounts/{account_id}/stakeholders": Access("account", "SSSAA"),
    "GET /api/people/role-fit/questionnaire": Access(None, "AAAAA", anonymous="A"),
    "POST /api/people/role-fit": Access(None, "-----", "AAAAA", anonymous="A"),
    "GET /api/people/role-fit/{token}": Access("rolefit", "AAAAA", anonymous="A"),
    "GET /api/people/competency-models": Access(None, "AAAAA", anonymous="A"),
    "GET /api/people/career-ladders": Access(None, "AAAAA", anonymous="A"),
    "GET /api/people/people": Access(None, "AAAAA"),
    "GET /api/people/people/{person_id}/competencies": Access("person", "SSSAA"),
    "POST /api/people/people/{person_id}/assessments": Access("person", "-----", "SSSAA"),
    "GET /api/kpis/quotas": Access(None, "AAAAA"),
    "PUT /api/kpis/quotas": Access(None, "-----", "RARAA"),
    "DELETE /api/kpis/quotas/{quota_id}": Access("quota", "-----", "RSRAA"),
    "GET /api/kpis/sales": Access(None, "AAAAA"),
    "GET /api/kpis/kam": Access(None, "RAAAA"),
    "GET /api/account-plans/plans": Access(None, "AAAAA"),
    "POST /api/account-plans/plans": Access(None, "-----", "AAAAA"),
    "GET /api/account-plans/missing": Access(None, "AAAAA"),
    "GET /api/account-plans/plans/{plan_id}": Access("plan", "SSSAA"),
    "PATCH /api/account-plans/plans/{plan_id}": Access("plan", "-----", "SSSAA"),
    "DELETE /api/account-plans/plans/{plan_id}": Access("plan", "-----", "SSSAA"),
    "POST /api/account-plans/plans/{plan_id}/actions": Access("plan", "-----", "SSSAA"),
    "PATCH /api/account-plans/actions/{action_id}": Access("action", "-----", "SSSAA"),
    "DELETE /api/account-plans/actions/{action_id}": Access("action", "-----", "SSSAA"),
    "GET /api/account-plans/qbr/{account_id}": Access("key_account", "SSSAA"),
    "GET /api/renewals/upcoming": Access(None, "AAAAA"),
    "POST /api/renewals/contracts/{contract_id}/outcome": Access("contract", "-----", "SSSAA"),
    "GET /api/renewals/rates": Access(None, "AAAAA"),
    "GET /api/whitespace": Access(None, "RAAAA"),
    "GET /api/whitespace/candidates": Access(None, "RAAAA"),
    "GET /api/whitespace/accounts/{account_id}": Access("account", "RSSAA"),
    "GET /api/insights": Access(None, "AAAAA"),
    "POST /api/insights": Access(None, "-----", "RAAAA"),
    "GET /api/insights/{post_id}": Access("post", "RSAAA"),
    "PATCH /api/insights/{post_id}": Access("post", "-----", "RSSRR"),
    "DELETE /api/insights/{post_id}": Access("post", "-----", "RSSRR"),
    "GET /api/compensation/plans": Access(None, "AAAAA"),
    "POST /api/compensation/plans": Access(None, "-----", "RRRRA"),
    "GET /api/compensation/plans/{plan_id}": Access("comp_plan", "SSSAA"),
    "PUT /api/compensation/plans/{plan_id}": Access("comp_plan", "-----", "RRRRA"),
    "DELETE /api/compensation/plans/{plan_id}": Access("comp_plan", "-----", "RRRRA"),
    "GET /api/compensation/payouts": Access(None, "AAAAA"),
    "GET /api/compensation/statements/{user_id}": Access("person", "SSSAA"),
    "POST /api/compensation/what-if": Access(None, "-----", "AAAAA"),
    "GET /api/compensation/bands": Access(None, "AAAAA"),
    "PUT /api/compensation/bands/{band_id}": Access("band", "-----", "RRRRA"),
    "GET /api/compensation/company-profile": Access(None, "AAAAA"),
    "PUT /api/compensation/company-profile": Access(None, "-----", "RRRRA"),
    "GET /api/hiring/positions": Access(None, "RARAA"),
    "POST /api/hiring/positions": Access(None, "-----", "RARAA"),
    "GET /api/hiring/positions/{position_id}": Access("position", "RSRAA"),
    "POST /api/hiring/positions/{position_id}/status": Access("position", "-----", "RSRAA"),
    "GET /api/hiring/positions/{position_id}/candidates": Access("position", "RSRAA"),
    "POST /api/hiring/positions/{position_id}/candidates": Access("position", "-----", "RSRAA"),
    "GET /api/hiring/positions/{position_id}/comparison": Access("position", "RSRAA"),
    "GET /api/hiring/candidates": Access(None, "RARAA"),
    "GET /api/hiring/candidates/{candidate_id}": Access("candidate", "RSRAA"),
    "POST /api/hiring/candidates/{candidate_id}/status": Access("candidate", "-----", "RSRAA"),
    "GET /api/hiring/candidates/{candidate_id}/scores": Access("candidate", "RSRAA"),
    "POST /api/hiring/candidates/{candidate_id}/scores": Access("candidate", "-----", "RSRAA"),
    "GET /api/hiring/onboarding": Access(None, "AAAAA"),
    "POST /api/hiring/onboarding": Access(None, "-----", "RARAA"),
    "GET /api/hiring/onboarding/{plan_id}": Access("onboarding", "RSRAA"),
    "POST /api/hiring/onboarding/{plan_id}/steps": Access("onboarding", "-----", "RSRAA"),
    "POST /api/hiring/onboarding/{plan_id}/steps/{step_id}/done": Access("step", "-----", "RSRAA"),
    "GET /api/coaching/reps": Access(None, "AAAAA"),
    # coaching stays between a rep and their manager, as on the web
    "GET /api/coaching/reps/{rep_id}": Access("person", "SSSRR"),
    "GET /api/coaching/reps/{rep_id}/notes": Access("person", "SSSRR"),
    "POST /api/coaching/reps/{rep_id}/notes": Access("person", "-----", "SSSRR"),
    "PATCH /api/coaching/notes/{note_id}": Access("note", "-----", "RSSRR"),
    "DELETE /api/coaching/notes/{note_id}": Access("note", "-----", "RSSRR"),
    "GET /api/approvals": Access(None, "AAAAA"),
    "GET /api/jobs/{job_id}": Access("job", "SRSRA"),
    "POST /api/approvals/{approval_id}/approve": Access("approval", "-----", "RSRAA"),
    "POST /api/approvals/{approval_id}/reject": Access("approval", "-----", "RSRAA"),
}
