"""REST endpoints of hiring and onboarding.

Reads start from the hiring selectors, writes go through the hiring services, so the API refuses
what the web pages refuse, with the same messages. Reps and KAMs get 403 on every hiring
endpoint; onboarding plans are read by whoever may see them (their member too).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from tandem.core.api.errors import ERROR_RESPONSES, FieldError, unknown_reference
from tandem.core.api.listing import page_of, page_schema
from tandem.core.filters import filtered_for_api, query_schema
from tandem.core.validation import Day, Line, Text
from tandem.hiring.filters import CandidateFilterSet, PositionFilterSet
from tandem.hiring.models import CandidateStatus, PositionStatus
from tandem.hiring.selectors import (
    can_hire,
    compare_candidates,
    get_candidate_for,
    get_plan_for,
    get_position_for,
    hiring_teams,
    onboarding_progress,
    scores_of,
    steps_of,
    visible_candidates,
    visible_plans,
    visible_positions,
)
from tandem.hiring.services import (
    add_candidate,
    add_onboarding_step,
    create_onboarding_plan,
    open_position,
    record_scores,
    set_candidate_status,
    set_position_status,
    set_step_done,
)
from tandem.people.models import CareerStep, RoleProfile
from tandem.users.models import User

router = Router()


def _hirer(request: HttpRequest) -> User:
    if not can_hire(request.auth):
        raise PermissionDenied
    return request.auth


class HiringPositionSchema(Schema):
    id: int
    title: str
    team: int = Field(alias="team_id")
    role: str = Field(description="Code of the role's competency model (rep, kam, …).")
    level: str | None = Field(description="Code of the career step, if the position has one.")
    hiring_manager: int = Field(alias="hiring_manager_id")
    status: PositionStatus
    opened_on: datetime.date
    description: str

    @staticmethod
    def resolve_role(obj) -> str:
        return obj.profile.code

    @staticmethod
    def resolve_level(obj) -> str | None:
        return obj.step.code if obj.step_id else None


class HiringPositionInSchema(Schema):
    title: Line
    team: int
    role: Line = Field(
        description="Code of a competency model: rep, team_lead, kam, sales_manager."
    )
    level: Line | None = Field(None, description="Code of a career step of that model.")
    hiring_manager: int | None = None
    opened_on: Day | None = None
    description: Text = ""


class HiringStatusInSchema(Schema):
    status: Line


class HiringCandidateSchema(Schema):
    id: int
    position: int = Field(alias="position_id")
    name: str
    email: str
    status: CandidateStatus
    note: str


class HiringCandidateInSchema(Schema):
    name: Line
    email: Line = ""
    note: Text = ""


class HiringScoreInSchema(Schema):
    competency: str = Field(description="Code of a competency of the position's role.")
    score: int = Field(description="1 to 5.")
    note: str = ""


class HiringScoresInSchema(Schema):
    scores: list[HiringScoreInSchema]


class HiringScoreSchema(Schema):
    competency: str
    interviewer: int = Field(alias="interviewer_id")
    score: int
    note: str

    @staticmethod
    def resolve_competency(obj) -> str:
        return obj.competency.code


class HiringCellSchema(Schema):
    competency: str
    expected: int
    average: float | None = Field(description="Mean score over the interviewers.")
    interviewers: int
    gap: float | None = Field(description="Average minus expected; negative = below.")


class HiringCandidateComparisonSchema(Schema):
    candidate: int
    name: str
    status: str
    average: float | None
    below_expectation: int
    competencies: list[HiringCellSchema]


class HiringComparisonSchema(Schema):
    position: int
    role: str
    level: str | None
    candidates: list[HiringCandidateComparisonSchema]


HiringPositionPageSchema = page_schema(HiringPositionSchema)
HiringCandidatePageSchema = page_schema(HiringCandidateSchema)


@router.get("/positions", response={200: HiringPositionPageSchema, **ERROR_RESPONSES})
def list_positions(request: HttpRequest, filters: Query[query_schema(PositionFilterSet)]):
    """Positions of the teams you hire for (all for the Head of Sales and admins)."""
    user = _hirer(request)
    positions = visible_positions(user).select_related("profile", "step")
    positions, _ordering = filtered_for_api(PositionFilterSet, filters, positions, user)
    return page_of(positions, filters)


@router.post("/positions", response={201: HiringPositionSchema, **ERROR_RESPONSES})
def create_position(request: HttpRequest, payload: HiringPositionInSchema):
    user = _hirer(request)
    team = hiring_teams(user).filter(pk=payload.team).first()
    if team is None:
        raise FieldError("team", _("There is no team with this id that you hire for."))
    profile = RoleProfile.objects.filter(code=payload.role).first()
    if profile is None:
        raise FieldError("role", _("There is no competency model with this code."))
    step = None
    if payload.level:
        step = CareerStep.objects.filter(code=payload.level, profile=profile).first() or (
            CareerStep.objects.filter(code=payload.level).first()
        )
        if step is None:
            raise FieldError("level", _("There is no career step with this code."))
    manager = None
    if payload.hiring_manager is not None:
        manager = User.objects.filter(pk=payload.hiring_manager, is_active=True).first()
        if manager is None:
            raise unknown_reference("hiring_manager", "user")
    position = open_position(
        acting_user=user,
        title=payload.title,
        team=team,
        profile=profile,
        step=step,
        hiring_manager=manager,
        opened_on=payload.opened_on,
        description=payload.description,
    )
    return Status(201, position)


@router.get("/positions/{position_id}", response={200: HiringPositionSchema, **ERROR_RESPONSES})
def read_position(request: HttpRequest, position_id: int):
    return get_position_for(_hirer(request), position_id)


@router.post(
    "/positions/{position_id}/status", response={200: HiringPositionSchema, **ERROR_RESPONSES}
)
def change_position_status(request: HttpRequest, position_id: int, payload: HiringStatusInSchema):
    """Close an open position (`closed`) or open a closed one again (`open`)."""
    user = _hirer(request)
    position = get_position_for(user, position_id)
    return set_position_status(position, payload.status, acting_user=user)


@router.get(
    "/positions/{position_id}/candidates",
    response={200: list[HiringCandidateSchema], **ERROR_RESPONSES},
)
def list_candidates(request: HttpRequest, position_id: int):
    position = get_position_for(_hirer(request), position_id)
    return list(position.candidates.order_by("name", "pk"))


@router.post(
    "/positions/{position_id}/candidates", response={201: HiringCandidateSchema, **ERROR_RESPONSES}
)
def create_candidate(request: HttpRequest, position_id: int, payload: HiringCandidateInSchema):
    user = _hirer(request)
    position = get_position_for(user, position_id)
    return Status(201, add_candidate(position, acting_user=user, **payload.model_dump()))


@router.get(
    "/positions/{position_id}/comparison", response={200: HiringComparisonSchema, **ERROR_RESPONSES}
)
def compare(request: HttpRequest, position_id: int):
    """The candidates side by side: per competency the average over interviewers, the level
    the position expects and the gap."""
    position = get_position_for(_hirer(request), position_id)
    comparison = compare_candidates(position)
    return {
        "position": position.pk,
        "role": position.profile.code,
        "level": position.step.code if position.step_id else None,
        "candidates": [
            {
                "candidate": column.candidate.pk,
                "name": column.candidate.name,
                "status": column.candidate.status,
                "average": column.average,
                "below_expectation": column.below,
                "competencies": [
                    {
                        "competency": exp.competency.code,
                        "expected": cell.expected,
                        "average": cell.average,
                        "interviewers": cell.count,
                        "gap": cell.gap,
                    }
                    for exp, cell in zip(comparison.expectations, column.cells, strict=True)
                ],
            }
            for column in comparison.columns
        ],
    }


@router.get("/candidates", response={200: HiringCandidatePageSchema, **ERROR_RESPONSES})
def list_all_candidates(request: HttpRequest, filters: Query[query_schema(CandidateFilterSet)]):
    """The candidates of every position you see."""
    user = _hirer(request)
    candidates, _ordering = filtered_for_api(
        CandidateFilterSet, filters, visible_candidates(user), user
    )
    return page_of(candidates, filters)


@router.get("/candidates/{candidate_id}", response={200: HiringCandidateSchema, **ERROR_RESPONSES})
def read_candidate(request: HttpRequest, candidate_id: int):
    return get_candidate_for(_hirer(request), candidate_id)


@router.post(
    "/candidates/{candidate_id}/status", response={200: HiringCandidateSchema, **ERROR_RESPONSES}
)
def change_candidate_status(request: HttpRequest, candidate_id: int, payload: HiringStatusInSchema):
    """`hired` (fills the position), `rejected`, `withdrawn` or `active`."""
    user = _hirer(request)
    candidate = get_candidate_for(user, candidate_id)
    return set_candidate_status(candidate, payload.status, acting_user=user)


@router.get(
    "/candidates/{candidate_id}/scores", response={200: list[HiringScoreSchema], **ERROR_RESPONSES}
)
def list_scores(request: HttpRequest, candidate_id: int):
    return list(scores_of(get_candidate_for(_hirer(request), candidate_id)))


@router.post(
    "/candidates/{candidate_id}/scores", response={200: list[HiringScoreSchema], **ERROR_RESPONSES}
)
def score(request: HttpRequest, candidate_id: int, payload: HiringScoresInSchema):
    """Your interview scores (1–5 per competency of the role); a competency scored again
    replaces your earlier score."""
    user = _hirer(request)
    candidate = get_candidate_for(user, candidate_id)
    entries = [entry.model_dump() for entry in payload.scores]
    return record_scores(candidate, entries, acting_user=user)


# --- onboarding ---------------------------------------------------------------------------


class HiringStepSchema(Schema):
    id: int
    title: str
    title_de: str
    owner: int = Field(alias="owner_id")
    due_on: datetime.date
    done_on: datetime.date | None


class HiringPlanSchema(Schema):
    id: int
    member: int
    manager: int
    starts_on: datetime.date
    steps_total: int
    steps_done: int
    steps_overdue: int
    percent_done: float


class HiringPlanDetailSchema(HiringPlanSchema):
    steps: list[HiringStepSchema]


class HiringPlanInSchema(Schema):
    member: int
    starts_on: Day | None = None


class HiringStepInSchema(Schema):
    title: Line
    owner: int
    due_on: Day


class HiringDoneInSchema(Schema):
    done: bool = True


def _plan(progress) -> dict:
    return {
        "id": progress.plan.pk,
        "member": progress.plan.member_id,
        "manager": progress.plan.manager_id,
        "starts_on": progress.plan.starts_on,
        "steps_total": progress.total,
        "steps_done": progress.done,
        "steps_overdue": progress.overdue,
        "percent_done": progress.percent_done,
    }


def _plan_detail(user, plan) -> dict:
    today = timezone.localdate()
    progress = onboarding_progress(user, today, visible_plans(user).filter(pk=plan.pk))[0]
    return {**_plan(progress), "steps": list(steps_of(plan))}


@router.get("/onboarding", response={200: list[HiringPlanSchema], **ERROR_RESPONSES})
def list_plans(request: HttpRequest):
    """The onboarding plans you may see, with their progress (overdue = due before today and
    not done)."""
    return [_plan(p) for p in onboarding_progress(request.auth, timezone.localdate())]


@router.post("/onboarding", response={201: HiringPlanDetailSchema, **ERROR_RESPONSES})
def create_plan(request: HttpRequest, payload: HiringPlanInSchema):
    """A plan for a new member of your team, from the default template of their role."""
    _hirer(request)
    member = User.objects.filter(pk=payload.member).first()
    if member is None:
        raise unknown_reference("member", "user")
    plan = create_onboarding_plan(member, acting_user=request.auth, starts_on=payload.starts_on)
    return Status(201, _plan_detail(request.auth, plan))


@router.get("/onboarding/{plan_id}", response={200: HiringPlanDetailSchema, **ERROR_RESPONSES})
def read_plan(request: HttpRequest, plan_id: int):
    return _plan_detail(request.auth, get_plan_for(request.auth, plan_id))


@router.post("/onboarding/{plan_id}/steps", response={201: HiringStepSchema, **ERROR_RESPONSES})
def create_step(request: HttpRequest, plan_id: int, payload: HiringStepInSchema):
    plan = get_plan_for(request.auth, plan_id)
    owner = User.objects.filter(pk=payload.owner).first()
    if owner is None:
        raise unknown_reference("owner", "user")
    step = add_onboarding_step(
        plan, acting_user=request.auth, title=payload.title, owner=owner, due_on=payload.due_on
    )
    return Status(201, step)


@router.post(
    "/onboarding/{plan_id}/steps/{step_id}/done",
    response={200: HiringStepSchema, **ERROR_RESPONSES},
)
def tick_step(request: HttpRequest, plan_id: int, step_id: int, payload: HiringDoneInSchema):
    plan = get_plan_for(request.auth, plan_id)
    step = plan.steps.filter(pk=step_id).first()
    if step is None:
        raise FieldError("step_id", _("There is no such step in this plan."), source="path")
    return set_step_done(step, payload.done, acting_user=request.auth)
