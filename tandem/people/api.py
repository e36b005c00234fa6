"""REST endpoints for people. The role-fit questionnaire, competency models and career ladders
are open without a token (anyone may take the self-assessment); assessments need one and are
scoped like the web pages: one's own, a Sales Manager's team, everyone for Head of Sales/admins.
"""

import datetime
import uuid

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tandem.core.api.errors import ERROR_RESPONSES
from tandem.core.api.listing import page_of, page_schema
from tandem.core.filters import filtered_for_api, query_schema
from tandem.core.validation import Day, Text
from tandem.people.filters import PersonFilterSet
from tandem.people.models import AssessmentKind
from tandem.people.selectors import (
    career_ladders,
    competency_gaps,
    competency_profiles,
    current_questionnaire,
    get_person_for,
    get_result,
    profile_for,
    visible_people,
)
from tandem.people.serializers import explanation_data
from tandem.people.services import create_assessment, explain, take_role_fit
from tandem.users.auth import token_auth

people_router = Router()


class OptionSchema(Schema):
    code: str
    text: str
    kam_points: int
    sales_manager_points: int


class QuestionSchema(Schema):
    code: str
    text: str
    kind: str = Field(description="one: exactly one answer; several: any number.")
    options: list[OptionSchema]


class QuestionnaireSchema(Schema):
    version: int
    clearly_from: float
    rather_from: float
    questions: list[QuestionSchema]


class RoleFitAnswersSchema(Schema):
    answers: dict[str, str | list[str]] = Field(
        description='Question code → answer code, a list for "several": '
        '{"work_style": "alone_deep", "strengths": ["coaching"]}.'
    )


class ContributionSchema(Schema):
    question: str
    question_text: str
    answer: str
    answer_text: str
    kam_points: int
    sales_manager_points: int
    points_to: str | None
    reason: str


class NamedSchema(Schema):
    code: str
    name: str


class PathStepSchema(NamedSchema):
    years_from: int
    years_to: int | None


class RoleAdviceSchema(Schema):
    role: str
    competencies_to_develop: list[NamedSchema]
    path: list[PathStepSchema]


class RoleFitResultSchema(Schema):
    token: uuid.UUID
    questionnaire_version: int
    leaning: str | None = Field(description="kam or sales_manager; null when the points are equal.")
    clarity: str = Field(description="clearly, rather or balanced.")
    kam_points: int
    sales_manager_points: int
    lean: float = Field(description="(KAM − Sales Manager points) ÷ all points, −1 to 1.")
    headline: str
    no_better_role: str
    contributions: list[ContributionSchema]
    roles: list[RoleAdviceSchema]


class ExpectedLevelSchema(NamedSchema):
    level: int


class CompetencyModelSchema(NamedSchema):
    description: str
    competencies: list[ExpectedLevelSchema]


class StepSchema(NamedSchema):
    position: int
    years_from: int
    years_to: int | None
    leadership_years: int
    later_step: bool


class LadderSchema(NamedSchema):
    description: str
    steps: list[StepSchema]


class GapSchema(NamedSchema):
    expected: int
    self_level: int | None
    manager_level: int | None
    gap: int | None


class PersonSchema(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    role: str
    team: int | None = Field(alias="team_id")
    team_name: str | None

    @staticmethod
    def resolve_team_name(obj) -> str | None:
        return obj.team.name if obj.team_id else None


PersonPageSchema = page_schema(PersonSchema)


class AssessmentCreateSchema(Schema):
    kind: AssessmentKind
    levels: dict[str, int] = Field(description="Competency code → level from 1 to 5.")
    rated_on: Day | None = None
    note: Text = Field("", max_length=2000)


class AssessmentSchema(Schema):
    id: int
    person: int
    kind: str
    rated_on: datetime.date
    levels: dict[str, int]


@people_router.get(
    "/role-fit/questionnaire",
    auth=None,
    response={200: QuestionnaireSchema, **ERROR_RESPONSES},
    summary="The current role-fit questionnaire",
)
def read_questionnaire(request: HttpRequest):
    questionnaire = current_questionnaire()
    if questionnaire is None:
        return Status(404, {"detail": "No questionnaire has been published yet."})
    return {
        "version": questionnaire.version,
        "clearly_from": float(questionnaire.clearly_from),
        "rather_from": float(questionnaire.rather_from),
        "questions": [
            {
                "code": q.code,
                "text": q.label,
                "kind": q.kind,
                "options": [
                    {
                        "code": o.code,
                        "text": o.label,
                        "kam_points": o.kam_points,
                        "sales_manager_points": o.sales_manager_points,
                    }
                    for o in q.options.all()
                ],
            }
            for q in questionnaire.questions.all()
        ],
    }


@people_router.post(
    "/role-fit",
    auth=None,
    response={201: RoleFitResultSchema, **ERROR_RESPONSES},
    summary="Take the role-fit self-assessment (no token needed)",
)
def take_rolefit_endpoint(request: HttpRequest, payload: RoleFitAnswersSchema):
    """Anonymous, or kept with the caller's results when a valid token is sent (a wrong token
    is a 401). A browser session is not used here: this endpoint skips the CSRF check."""
    user = token_auth(request) if request.headers.get("Authorization") else None
    result = take_role_fit(payload.answers, acting_user=user)
    return Status(201, explanation_data(explain(result)))


@people_router.get(
    "/role-fit/{token}",
    auth=None,
    response={200: RoleFitResultSchema, **ERROR_RESPONSES},
    summary="A stored role-fit result, explained by the version it was taken with",
)
def read_rolefit(request: HttpRequest, token: uuid.UUID):
    return explanation_data(explain(get_result(token)))


@people_router.get(
    "/competency-models",
    auth=None,
    response={200: list[CompetencyModelSchema], **ERROR_RESPONSES},
    summary="Competency models with expected levels",
)
def list_competency_models(request: HttpRequest):
    return [
        {
            "code": p.code,
            "name": p.label,
            "description": p.description_label,
            "competencies": [
                {"code": e.competency.code, "name": e.competency.label, "level": e.level}
                for e in p.expected_levels.all()
            ],
        }
        for p in competency_profiles()
    ]


@people_router.get(
    "/career-ladders",
    auth=None,
    response={200: list[LadderSchema], **ERROR_RESPONSES},
    summary="The career ladders with steps and typical years",
)
def list_ladders(request: HttpRequest):
    return [
        {
            "code": ladder.code,
            "name": ladder.label,
            "description": ladder.description_label,
            "steps": [
                {
                    "code": s.code,
                    "name": s.label,
                    "position": s.position,
                    "years_from": s.years_from,
                    "years_to": s.years_to,
                    "leadership_years": s.leadership_years,
                    "later_step": s.is_later_step,
                }
                for s in ladder.steps.all()
            ],
        }
        for ladder in career_ladders()
    ]


@people_router.get(
    "/people",
    response={200: PersonPageSchema, **ERROR_RESPONSES},
    summary="The people whose competencies, goals and career position you can see",
)
def list_people(request: HttpRequest, filters: Query[query_schema(PersonFilterSet)]):
    people = visible_people(request.auth).select_related("team")
    people, _ordering = filtered_for_api(PersonFilterSet, filters, people, request.auth)
    return page_of(people, filters)


@people_router.get(
    "/people/{person_id}/competencies",
    response={200: list[GapSchema], **ERROR_RESPONSES},
    summary="A person's competencies: expected, self, manager and gap",
)
def read_gaps(request: HttpRequest, person_id: int):
    person = get_person_for(request.auth, person_id)
    profile = profile_for(person)
    rows = competency_gaps(person, profile) if profile else []
    return [
        {
            "code": r.competency.code,
            "name": r.competency.label,
            "expected": r.expected,
            "self_level": r.self_level,
            "manager_level": r.manager_level,
            "gap": r.gap,
        }
        for r in rows
    ]


@people_router.post(
    "/people/{person_id}/assessments",
    response={201: AssessmentSchema, **ERROR_RESPONSES},
    summary="Rate a person (self or as their manager)",
)
def create_assessment_endpoint(
    request: HttpRequest, person_id: int, payload: AssessmentCreateSchema
):
    person = get_person_for(request.auth, person_id)
    assessment = create_assessment(
        person,
        acting_user=request.auth,
        kind=payload.kind,
        levels=payload.levels,
        rated_on=payload.rated_on,
        note=payload.note,
    )
    levels = {r.competency.code: r.level for r in assessment.ratings.select_related("competency")}
    return Status(
        201,
        {
            "id": assessment.pk,
            "person": person.pk,
            "kind": assessment.kind,
            "rated_on": assessment.rated_on,
            "levels": levels,
        },
    )
