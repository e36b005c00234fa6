"""REST endpoints for key accounts: the rules (read), candidates, and each handover step.

Reads start from the key-account selectors, writes go through the key-account services, so
the API refuses what the web pages refuse, with the same messages.
"""

import datetime
import uuid
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from tandem.accounts.selectors import get_account_for, visible_accounts
from tandem.core.api.errors import ERROR_RESPONSES, unknown_reference
from tandem.core.api.listing import page_of, page_schema
from tandem.core.filters import filtered_for_api, query_schema
from tandem.core.validation import Text
from tandem.jobs.api import JobSchema
from tandem.jobs.selectors import job_state
from tandem.keyaccounts.filters import HandoverFilterSet
from tandem.keyaccounts.models import HandoverStatus, KeyAccountRules
from tandem.keyaccounts.selectors import (
    Reason,
    candidates,
    evaluating,
    get_handover_for,
    is_up_to_date,
    revenue_before_after,
    stakeholder_map,
    visible_handovers,
    with_overdue,
)
from tandem.keyaccounts.services import (
    accept_handover,
    ask_to_evaluate,
    can_manage_handover,
    may_evaluate,
    propose_handover,
    reject_handover,
    submit_handover,
)
from tandem.users.models import User

keyaccount_router = Router()


class KeyAccountRulesSchema(Schema):
    won_value_enabled: bool
    won_value_threshold: Decimal
    invoiced_revenue_enabled: bool
    invoiced_revenue_threshold: Decimal
    potential_enabled: bool
    potential_threshold: Decimal
    revenue_share_enabled: bool
    revenue_share_percent: Decimal
    strategic_enabled: bool
    kam_capacity: int
    handover_overdue_days: int


class ReasonSchema(Schema):
    rule: str = Field(
        description="won_value, invoiced_revenue, potential, revenue_share or strategic"
    )
    value: Decimal | None
    threshold: Decimal | None
    text: str = Field(description="The reason in words, in the caller's language.")


class CandidateSchema(Schema):
    account: int
    name: str
    owner: int
    tier: str
    reasons: list[ReasonSchema]
    open_handover: int | None = Field(description="Id of the open handover, if any.")


class CandidatesSchema(Schema):
    qualifying: list[CandidateSchema]
    lapsed: list[CandidateSchema] = Field(description="Key accounts that meet no rule any more.")
    evaluated_at: datetime.datetime = Field(description="When the rules were evaluated.")
    up_to_date: bool = Field(
        description="Evaluated today, with the rules as they are now (else a new evaluation is"
        " due: the day's work, or `job`)."
    )
    job: uuid.UUID | None = Field(
        description="The job evaluating the rules again, if one waits or runs (GET /api/jobs/{id})."
    )


class NotEvaluatedSchema(Schema):
    status: Literal["not_evaluated"] = "not_evaluated"
    detail: str = Field(description="In the caller's language.")
    job: uuid.UUID | None = Field(
        description="The job evaluating the rules, if one waits or runs (GET /api/jobs/{id})."
    )


class HandoverSchema(Schema):
    id: int
    account: int
    from_user: int
    to_kam: int
    proposed_by: int | None
    status: HandoverStatus
    reasons: list[ReasonSchema]
    customer_needs: str
    commitments: str
    risks: str
    decision_reason: str
    created_at: datetime.datetime
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    overdue: bool = Field(
        False, description="Open and waiting longer than the configured days for its next step."
    )

    @staticmethod
    def resolve_account(obj) -> int:
        return obj.account_id

    @staticmethod
    def resolve_from_user(obj) -> int:
        return obj.from_user_id

    @staticmethod
    def resolve_to_kam(obj) -> int:
        return obj.to_kam_id

    @staticmethod
    def resolve_proposed_by(obj) -> int | None:
        return obj.proposed_by_id

    @staticmethod
    def resolve_reasons(obj) -> list[dict]:
        return [_reason(Reason.from_dict(r)) for r in obj.reasons]


class RevenueBeforeAfterSchema(Schema):
    day: datetime.date = Field(description="The day the handover was accepted.")
    before: Decimal = Field(description="Invoiced revenue in the 12 months before that day.")
    after: Decimal = Field(description="Invoiced revenue in the 12 months from that day.")
    change_percent: Decimal | None
    complete: bool = Field(description="Whether the 12 months after are over.")


class HandoverDetailSchema(HandoverSchema):
    dossier: dict = Field(description="The facts Tandem assembled when it was submitted.")
    revenue_before_after: RevenueBeforeAfterSchema | None = Field(
        description="Only for an accepted handover."
    )

    @staticmethod
    def resolve_revenue_before_after(obj) -> dict | None:
        return revenue_before_after(obj)


class StakeholderSchema(Schema):
    id: int
    first_name: str
    last_name: str
    job_title: str
    hierarchy_level: str
    buying_role: str
    relationship_strength: int
    is_active: bool
    last_activity_at: datetime.datetime | None


class CoverageGapSchema(Schema):
    code: str = Field(
        description="no_decision_maker_reached, single_threaded, no_c_level or champion_inactive"
    )
    text: str


class StakeholderMapSchema(Schema):
    contacts: list[StakeholderSchema]
    gaps: list[CoverageGapSchema]


class HandoverProposeSchema(Schema):
    account: int = Field(description="Id of an account you own or manage.")
    to_kam: int = Field(description="Id of an active Key Account Manager.")
    customer_needs: Text = ""
    commitments: Text = ""
    risks: Text = ""


class DossierSchema(Schema):
    customer_needs: Text | None = None
    commitments: Text | None = None
    risks: Text | None = None


class RejectSchema(Schema):
    reason: Text = Field(..., description="Why the KAM rejects the handover.")


def _reason(reason: Reason) -> dict:
    return {
        "rule": reason.rule,
        "value": reason.value,
        "threshold": reason.threshold,
        "text": reason.text(),
    }


def _candidate(candidate) -> dict:
    account = candidate.account
    return {
        "account": account.pk,
        "name": account.name,
        "owner": account.owner_id,
        "tier": account.tier,
        "reasons": [_reason(r) for r in candidate.reasons],
        "open_handover": candidate.open_handover.pk if candidate.open_handover else None,
    }


@keyaccount_router.get(
    "/rules", response={200: KeyAccountRulesSchema, **ERROR_RESPONSES}, summary="The rules"
)
def read_rules(request: HttpRequest):
    return KeyAccountRules.current()


@keyaccount_router.get(
    "/candidates",
    response={200: CandidatesSchema, 202: NotEvaluatedSchema, **ERROR_RESPONSES},
    summary="Accounts that qualify as key accounts, and key accounts that no longer do",
)
def list_candidates(request: HttpRequest):
    """From the latest stored evaluation of the rules, never evaluated in the request (the
    day's work, a change of the rules and POST /api/key-accounts/candidates/evaluate make one
    in a job). 200: the candidates with `evaluated_at`; 202: the rules have not been
    evaluated yet (`status` "not_evaluated"), with the job doing it when one waits or runs."""
    found = candidates(request.auth)
    job = evaluating()
    if found.evaluation is None:
        return Status(
            202,
            {
                "detail": _("The key-account rules have not been evaluated yet."),
                "job": job and job.pk,
            },
        )
    return {
        "qualifying": [_candidate(c) for c in found.qualifying],
        "lapsed": [_candidate(c) for c in found.lapsed],
        "evaluated_at": found.evaluation.evaluated_at,
        "up_to_date": is_up_to_date(found.evaluation),
        "job": job and job.pk,
    }


@keyaccount_router.post(
    "/candidates/evaluate",
    response={202: JobSchema, **ERROR_RESPONSES},
    summary="Have the rules evaluated again now (admins)",
)
def evaluate_candidates(request: HttpRequest):
    """A job evaluates every rule for every account (202 with it: follow GET /api/jobs/{id});
    then GET /api/key-accounts/candidates reads the new evaluation."""
    if not may_evaluate(request.auth):
        raise PermissionDenied
    return Status(202, job_state(ask_to_evaluate(acting_user=request.auth)))


HandoverPageSchema = page_schema(HandoverSchema)


@keyaccount_router.get(
    "/handovers", response={200: HandoverPageSchema, **ERROR_RESPONSES}, summary="Handovers"
)
def list_handovers(request: HttpRequest, filters: Query[query_schema(HandoverFilterSet)]):
    handovers = with_overdue(visible_handovers(request.auth))
    handovers, _ordering = filtered_for_api(HandoverFilterSet, filters, handovers, request.auth)
    return page_of(handovers, filters)


@keyaccount_router.post(
    "/handovers",
    response={201: HandoverSchema, **ERROR_RESPONSES},
    summary="Propose a handover to a KAM",
)
def propose(request: HttpRequest, payload: HandoverProposeSchema):
    account = visible_accounts(request.auth).filter(pk=payload.account).first()
    if account is None:
        raise unknown_reference("account", "account")
    kam = User.objects.filter(pk=payload.to_kam).first()
    if kam is None:
        raise unknown_reference("to_kam", "user")
    data = payload.model_dump(exclude={"account", "to_kam"})
    return Status(201, propose_handover(account, kam, acting_user=request.auth, **data))


@keyaccount_router.get(
    "/handovers/{handover_id}",
    response={200: HandoverDetailSchema, **ERROR_RESPONSES},
    summary="Read a handover with its dossier",
)
def read_handover(request: HttpRequest, handover_id: int):
    get_handover_for(request.auth, handover_id)  # 404 unless visible
    return with_overdue(visible_handovers(request.auth)).get(pk=handover_id)


@keyaccount_router.post(
    "/handovers/{handover_id}/submit",
    response={200: HandoverDetailSchema, **ERROR_RESPONSES},
    summary="Submit the dossier (customer needs, commitments and risks are required)",
)
def submit(request: HttpRequest, handover_id: int, payload: DossierSchema):
    handover = get_handover_for(request.auth, handover_id)
    if not can_manage_handover(request.auth, handover):
        raise PermissionDenied
    return submit_handover(handover, acting_user=request.auth, **payload.model_dump())


def _addressed_to(user: User, handover_id: int):
    """The handover, for the KAM it is addressed to: 404 unless visible, 403 for anyone else
    who sees it (a refusal of who asks, not a 422 about the handover)."""
    handover = get_handover_for(user, handover_id)
    if user.pk != handover.to_kam_id:
        raise PermissionDenied
    return handover


@keyaccount_router.post(
    "/handovers/{handover_id}/accept",
    response={200: HandoverSchema, **ERROR_RESPONSES},
    summary="Accept: the account moves to the KAM and becomes a key account",
)
def accept(request: HttpRequest, handover_id: int):
    handover = _addressed_to(request.auth, handover_id)
    return accept_handover(handover, acting_user=request.auth)


@keyaccount_router.post(
    "/handovers/{handover_id}/reject",
    response={200: HandoverSchema, **ERROR_RESPONSES},
    summary="Reject with a reason",
)
def reject(request: HttpRequest, handover_id: int, payload: RejectSchema):
    handover = _addressed_to(request.auth, handover_id)
    return reject_handover(handover, acting_user=request.auth, reason=payload.reason)


@keyaccount_router.get(
    "/accounts/{account_id}/stakeholders",
    response={200: StakeholderMapSchema, **ERROR_RESPONSES},
    summary="An account's stakeholder map with its coverage gaps",
)
def read_stakeholder_map(request: HttpRequest, account_id: int):
    drawn = stakeholder_map(get_account_for(request.auth, account_id))
    return {"contacts": drawn["contacts"], "gaps": drawn["gaps"]}
