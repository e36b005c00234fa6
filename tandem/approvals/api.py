"""Approvals in the API: the pending change a write answers with 202, the list of changes
waiting for the caller, and approving or rejecting one."""

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from tandem.approvals.models import ApprovalRule, ApprovalStatus
from tandem.approvals.selectors import approvals_to_decide, visible_approvals
from tandem.approvals.services import approve, reject
from tandem.core.api.errors import ERROR_RESPONSES

approval_router = Router()


class ApprovalSchema(Schema):
    """A change kept until a second person approves it (answered with 202 by the write that
    asked for it: nothing is changed yet)."""

    id: int
    kind: str = Field(description="Which change: deal.change, quota.set.")
    rule: ApprovalRule = Field(description="Why it needs approval.")
    subject_type: str
    subject_id: str = Field(description="Id of the record; empty for a new one.")
    subject: str = Field(description="What is changed, in words.")
    changes: dict = Field(description="{field: [old, new]}.")
    note: str
    requested_by: int
    requested_at: datetime.datetime
    status: ApprovalStatus
    decided_by: int | None
    decided_at: datetime.datetime | None
    decision_note: str

    @staticmethod
    def resolve_subject(obj) -> str:
        return obj.subject_repr

    @staticmethod
    def resolve_requested_by(obj) -> int:
        return obj.requested_by_id

    @staticmethod
    def resolve_decided_by(obj) -> int | None:
        return obj.decided_by_id


class DecisionSchema(Schema):
    note: str = Field("", max_length=500, description="Why; required to reject.")


@approval_router.get(
    "", response={200: list[ApprovalSchema], **ERROR_RESPONSES}, summary="Changes to decide"
)
def list_approvals(request: HttpRequest):
    return list(approvals_to_decide(request.auth))


@approval_router.post(
    "/{approval_id}/approve",
    response={200: ApprovalSchema, **ERROR_RESPONSES},
    summary="Approve and apply a change",
)
def approve_endpoint(request: HttpRequest, approval_id: int, payload: DecisionSchema):
    approval = get_object_or_404(visible_approvals(request.auth), pk=approval_id)
    return approve(approval, acting_user=request.auth, note=payload.note)


@approval_router.post(
    "/{approval_id}/reject",
    response={200: ApprovalSchema, **ERROR_RESPONSES},
    summary="Reject a change",
)
def reject_endpoint(request: HttpRequest, approval_id: int, payload: DecisionSchema):
    approval = get_object_or_404(visible_approvals(request.auth), pk=approval_id)
    return reject(approval, acting_user=request.auth, note=payload.note)
