"""REST endpoints of coaching: the reps you coach, a rep's scorecard, goals and notes.

Only the rep and the manager of their team get anything about a rep (404 for everyone else,
the Head of Sales and admins included: see docs/hiring-and-coaching.md).
"""

import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tandem.coaching.selectors import (
    coaching_overview,
    get_note_for,
    get_rep_for,
    goals_of,
    notes_about,
    scorecard,
)
from tandem.coaching.services import add_note, delete_note, update_note
from tandem.core.api.errors import ERROR_RESPONSES, FieldError
from tandem.core.errors import DomainError
from tandem.core.periods import Period
from tandem.core.validation import Day, Text
from tandem.kpis.sales import GroupKpis, ScorecardFlag
from tandem.people.models import DevelopmentGoal

router = Router()


def _period(code: str | None) -> Period:
    if not code:
        return Period.containing(timezone.localdate())
    try:
        return Period.parse(code)
    except DomainError as problem:
        raise FieldError("period", problem.message, source="query") from problem


class CoachingFlagSchema(Schema):
    key: str
    label: str
    value: Decimal | float
    team_value: Decimal | float
    better: bool


class CoachingRepLineSchema(Schema):
    id: int
    username: str
    name: str
    team: str | None
    notes: int
    last_note_on: datetime.date | None
    open_goals: int
    attainment: float | None
    win_rate: float | None
    flags: list[CoachingFlagSchema]


class CoachingKpiSchema(Schema):
    won_value: Decimal | None = None
    quota: Decimal | None = None
    attainment: float | None = None
    deals_won: int | None = None
    deals_lost: int | None = None
    win_rate: float | None = None
    avg_deal_size: Decimal | None = None
    sales_cycle_days: float | None = None
    pipeline_created: Decimal | None = None


class CoachingScorecardSchema(Schema):
    period: str
    rep: CoachingKpiSchema | None = Field(
        description="The rep's KPIs (null: no deals in the period)."
    )
    team: CoachingKpiSchema | None = Field(description="The team's KPIs for the same period.")
    activities: int
    team_activities_per_member: float | None
    flags: list[CoachingFlagSchema]


class CoachingGoalSchema(Schema):
    id: int
    title: str
    competency: str | None
    due_on: datetime.date | None
    status: str

    @staticmethod
    def resolve_competency(obj) -> str | None:
        return obj.competency.code if obj.competency_id else None


class CoachingNoteSchema(Schema):
    id: int
    rep: int = Field(alias="rep_id")
    author: int = Field(alias="author_id")
    written_on: datetime.date
    text: str
    goal: int | None = Field(alias="goal_id")


class CoachingRepDetailSchema(Schema):
    id: int
    username: str
    name: str
    team: str | None
    scorecard: CoachingScorecardSchema
    goals: list[CoachingGoalSchema]
    notes: list[CoachingNoteSchema]


class CoachingNoteInSchema(Schema):
    text: Text
    written_on: Day | None = None
    goal: int | None = Field(None, description="Id of one of the rep's development goals.")


class CoachingNoteUpdateSchema(Schema):
    text: Text | None = None
    goal: int | None = Field(None, description="Id of one of the rep's development goals.")
    clear_goal: bool = False


def _kpis(row: GroupKpis | None) -> dict | None:
    if row is None:
        return None
    return {key: getattr(row, key) for key in CoachingKpiSchema.model_fields}


def _flags(flags: list[ScorecardFlag]) -> list[dict]:
    return [
        {
            "key": flag.key,
            "label": str(flag.label),
            "value": flag.value,
            "team_value": flag.team_value,
            "better": flag.better,
        }
        for flag in flags
    ]


def _goal(rep, goal_id: int | None):
    if goal_id is None:
        return None
    goal = DevelopmentGoal.objects.filter(pk=goal_id, person=rep).first()
    if goal is None:
        raise FieldError("goal", _("The development goal belongs to someone else."))
    return goal


@router.get("/reps", response={200: list[CoachingRepLineSchema], **ERROR_RESPONSES})
def list_reps(request: HttpRequest, period: str | None = None):
    """The members of the teams you manage, with notes, open goals and scorecard flags."""
    return [
        {
            "id": line.rep.pk,
            "username": line.rep.username,
            "name": str(line.rep),
            "team": line.rep.team.name if line.rep.team_id else None,
            "notes": line.notes,
            "last_note_on": line.last_note_on,
            "open_goals": line.open_goals,
            "attainment": line.kpis.attainment if line.kpis else None,
            "win_rate": line.kpis.win_rate if line.kpis else None,
            "flags": _flags(line.flags),
        }
        for line in coaching_overview(request.auth, _period(period))
    ]


@router.get("/reps/{rep_id}", response={200: CoachingRepDetailSchema, **ERROR_RESPONSES})
def read_rep(request: HttpRequest, rep_id: int, period: str | None = None):
    """A rep's scorecard against the team for the period (default: this quarter), their
    development goals and the coaching notes."""
    rep = get_rep_for(request.auth, rep_id)
    card = scorecard(rep, _period(period))
    return {
        "id": rep.pk,
        "username": rep.username,
        "name": str(rep),
        "team": rep.team.name if rep.team_id else None,
        "scorecard": {
            "period": card.period.code,
            "rep": _kpis(card.mine),
            "team": _kpis(card.team),
            "activities": card.activities,
            "team_activities_per_member": card.team_activities_per_member,
            "flags": _flags(card.flags),
        },
        "goals": list(goals_of(rep)),
        "notes": list(notes_about(request.auth, rep)),
    }


@router.get("/reps/{rep_id}/notes", response={200: list[CoachingNoteSchema], **ERROR_RESPONSES})
def list_notes(request: HttpRequest, rep_id: int):
    return list(notes_about(request.auth, get_rep_for(request.auth, rep_id)))


@router.post("/reps/{rep_id}/notes", response={201: CoachingNoteSchema, **ERROR_RESPONSES})
def create_note(request: HttpRequest, rep_id: int, payload: CoachingNoteInSchema):
    rep = get_rep_for(request.auth, rep_id)
    note = add_note(
        rep,
        acting_user=request.auth,
        text=payload.text,
        written_on=payload.written_on,
        goal=_goal(rep, payload.goal),
    )
    return Status(201, note)


@router.patch("/notes/{note_id}", response={200: CoachingNoteSchema, **ERROR_RESPONSES})
def change_note(request: HttpRequest, note_id: int, payload: CoachingNoteUpdateSchema):
    note = get_note_for(request.auth, note_id)
    return update_note(
        note,
        acting_user=request.auth,
        text=payload.text,
        goal=_goal(note.rep, payload.goal),
        clear_goal=payload.clear_goal,
    )


@router.delete("/notes/{note_id}", response={204: None, **ERROR_RESPONSES})
def remove_note(request: HttpRequest, note_id: int):
    delete_note(get_note_for(request.auth, note_id), acting_user=request.auth)
    return Status(204, None)
