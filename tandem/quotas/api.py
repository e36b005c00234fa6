"""REST endpoints for quotas (mounted under /api/kpis/quotas): reads through visible_quotas,
writes through the quota services, so the rules are those of the web and the CLI."""

import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from tandem.approvals.api import ApprovalSchema
from tandem.approvals.models import Approval
from tandem.core.api.errors import ERROR_RESPONSES, FieldError
from tandem.core.api.listing import page_of, page_schema
from tandem.core.filters import filtered_for_api, query_schema
from tandem.core.periods import PeriodKind
from tandem.quotas.filters import QuotaFilterSet
from tandem.quotas.models import QuotaMetric
from tandem.quotas.selectors import visible_quotas
from tandem.quotas.services import delete_quota, set_quota
from tandem.users.models import Team, User

quota_router = Router()


class QuotaSchema(Schema):
    id: int
    user: int | None = Field(description="Id of the person, or null for a team quota.")
    team: int | None = Field(description="Id of the team, or null for a personal quota.")
    metric: QuotaMetric
    period: str = Field(description="2017Q3, 2017-05 or 2017.")
    period_kind: PeriodKind
    period_start: datetime.date
    period_end: datetime.date
    target: Decimal

    @staticmethod
    def resolve_user(obj) -> int | None:
        return obj.user_id

    @staticmethod
    def resolve_team(obj) -> int | None:
        return obj.team_id

    @staticmethod
    def resolve_period(obj) -> str:
        return obj.period.code


class QuotaSetSchema(Schema):
    """Creates the quota, or changes the target of the same person/team, metric and period.

    One's own quota, or one's own team's, waits for a second person's approval: the answer is
    then 202 with the pending approval (see /api/approvals), and nothing is changed yet."""

    user: int | None = Field(None, description="Id of the person (or send `team`).")
    team: int | None = Field(None, description="Id of the team (or send `user`).")
    metric: QuotaMetric = QuotaMetric.WON_VALUE
    period: str = Field(..., description="2017Q3, 2017-05 or 2017.")
    target: Decimal = Field(..., max_digits=14, decimal_places=2)
    approval_note: str = Field("", max_length=500, description="Why, if it needs approval.")


QuotaPageSchema = page_schema(QuotaSchema)


@quota_router.get("", response={200: QuotaPageSchema, **ERROR_RESPONSES}, summary="List quotas")
def list_quotas(request: HttpRequest, filters: Query[query_schema(QuotaFilterSet)]):
    quotas = visible_quotas(request.auth).select_related("user", "team")
    quotas, _ordering = filtered_for_api(QuotaFilterSet, filters, quotas, request.auth)
    return page_of(quotas, filters)


@quota_router.put(
    "",
    response={200: QuotaSchema, 202: ApprovalSchema, **ERROR_RESPONSES},
    summary="Set a quota",
)
def set_quota_endpoint(request: HttpRequest, payload: QuotaSetSchema):
    user = team = None
    if payload.user is not None:
        user = User.objects.filter(pk=payload.user).first()
        if user is None:
            raise FieldError("user", _("There is no person with this id."))
    if payload.team is not None:
        team = Team.objects.filter(pk=payload.team).first()
        if team is None:
            raise FieldError("team", _("There is no team with this id."))
    result = set_quota(
        acting_user=request.auth,
        user=user,
        team=team,
        metric=payload.metric,
        period=payload.period,
        target=payload.target,
        approval_note=payload.approval_note,
    )
    return Status(202 if isinstance(result, Approval) else 200, result)


@quota_router.delete("/{quota_id}", response={204: None, **ERROR_RESPONSES}, summary="Delete")
def delete_quota_endpoint(request: HttpRequest, quota_id: int):
    quota = get_object_or_404(visible_quotas(request.auth), pk=quota_id)
    delete_quota(quota, acting_user=request.auth)
    return Status(204, None)
