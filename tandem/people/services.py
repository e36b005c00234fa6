"""Writes for people, and the role-fit scoring (defined once, here; see docs/people.md)."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.services import record
from tandem.core.errors import DomainError
from tandem.people.models import (
    AnswerOption,
    Assessment,
    AssessmentKind,
    CareerPosition,
    CareerStep,
    Clarity,
    Competency,
    DevelopmentGoal,
    ExpectedLevel,
    FitRole,
    GoalStatus,
    Question,
    QuestionKind,
    Questionnaire,
    Rating,
    RoleFitResult,
    RoleProfile,
)
from tandem.people.selectors import (
    career_ladders,
    competency_gaps,
    current_questionnaire,
    manages,
    profile_for,
)
from tandem.users.models import User
from tandem.users.selectors import managed_user_ids

# --- role fit: scoring --------------------------------------------------------------------


@dataclass
class Score:
    kam_points: int
    sales_manager_points: int
    lean: Decimal  # (KAM − Sales Manager) / (KAM + Sales Manager), from −1 to 1
    leaning: str  # FitRole value, or "" when the points are equal
    clarity: str  # Clarity value


def score(questionnaire: Questionnaire, kam_points: int, sales_manager_points: int) -> Score:
    """The scoring model: the role with more points fits better; how clearly is the share of
    the difference in all points, against the version's thresholds."""
    total = kam_points + sales_manager_points
    lean = Decimal(0) if total == 0 else Decimal(kam_points - sales_manager_points) / total
    lean = lean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    leaning: str  # a FitRole, or "" when neither
    if lean > 0:
        leaning = FitRole.KAM
    elif lean < 0:
        leaning = FitRole.SALES_MANAGER
    else:
        leaning = ""
    if abs(lean) >= questionnaire.clearly_from:
        clarity = Clarity.CLEARLY
    elif abs(lean) >= questionnaire.rather_from:
        clarity = Clarity.RATHER
    else:
        clarity = Clarity.BALANCED
    return Score(kam_points, sales_manager_points, lean, leaning, clarity)


def chosen_options(questionnaire: Questionnaire, answers: dict) -> list[AnswerOption]:
    """The options chosen, checked against the version: `answers` maps a question's code to
    an option's code (or a list of codes for a question with several answers)."""
    if not isinstance(answers, dict):
        raise DomainError(_("Send the answers as an object: question code → answer code."))
    questions = {q.code: q for q in questionnaire.questions.prefetch_related("options")}
    unknown = sorted(set(answers) - set(questions))
    if unknown:
        raise DomainError(
            _("There is no question {code} in this questionnaire.").format(code=unknown[0]),
            field=unknown[0],
        )
    chosen = []
    for code, question in questions.items():
        given = answers.get(code)
        codes = [] if given in (None, "", []) else given
        if isinstance(codes, str):
            codes = [codes]
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise DomainError(_("Choose answers by their codes."), field=code)
        if question.kind == QuestionKind.ONE and len(codes) != 1:
            raise DomainError(_("Choose one answer to this question."), field=code)
        options = {option.code: option for option in question.options.all()}
        for option_code in dict.fromkeys(codes):
            if option_code not in options:
                raise DomainError(
                    _("{answer} is not an answer to this question.").format(answer=option_code),
                    field=code,
                )
            chosen.append(options[option_code])
    return chosen


@transaction.atomic
def take_role_fit(
    answers: dict, *, acting_user: User | None, questionnaire: Questionnaire | None = None
) -> RoleFitResult:
    """Score and store one filled-in questionnaire (anonymous when `acting_user` is None)."""
    if questionnaire is None:
        questionnaire = current_questionnaire()
        if questionnaire is None:
            raise DomainError(_("No questionnaire has been published yet."))
    elif questionnaire.published_at is None:
        raise DomainError(_("This questionnaire version has not been published."))
    options = chosen_options(questionnaire, answers)
    kam = sum(option.kam_points for option in options)
    manager = sum(option.sales_manager_points for option in options)
    result_score = score(questionnaire, kam, manager)
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    result = RoleFitResult.objects.create(
        questionnaire=questionnaire,
        user=user,
        kam_points=kam,
        sales_manager_points=manager,
        leaning=result_score.leaning,
        clarity=result_score.clarity,
    )
    result.options.set(options)
    return result


@dataclass
class Contribution:
    question: Question
    option: AnswerOption

    @property
    def points_to(self) -> str:
        if self.option.kam_points > self.option.sales_manager_points:
            return FitRole.KAM
        if self.option.sales_manager_points > self.option.kam_points:
            return FitRole.SALES_MANAGER
        return ""


@dataclass
class Explanation:
    result: RoleFitResult
    score: Score
    headline: str
    no_better_role: str
    contributions: list[Contribution]
    roles: list[str]  # the role(s) the advice is about: one, or both when balanced
    competencies: dict[str, list] = field(default_factory=dict)  # role → competencies
    paths: dict[str, list] = field(default_factory=dict)  # role → ladder steps


def role_name(role: str) -> str:
    return str(FitRole(role).label)


def headline(result_score: Score) -> str:
    if not result_score.leaning:
        return _("Both roles fit you equally well.")
    role = role_name(result_score.leaning)
    if result_score.clarity == Clarity.CLEARLY:
        return _("The role of {role} clearly fits you better.").format(role=role)
    if result_score.clarity == Clarity.RATHER:
        return _("The role of {role} rather fits you better.").format(role=role)
    return _("Balanced: both roles fit you, with a slight lean towards {role}.").format(role=role)


def explain(result: RoleFitResult, *, person: User | None = None) -> Explanation:
    """Why the result came out as it did, from the stored answers and the stored version's
    points (a later version changes nothing here). With `person`, the competencies to develop
    are the ones their latest ratings fall short of."""

    questionnaire = result.questionnaire
    result_score = score(questionnaire, result.kam_points, result.sales_manager_points)
    options = result.options.select_related("question").order_by("question__position", "position")
    contributions = [Contribution(option.question, option) for option in options]
    roles = [result_score.leaning] if result_score.clarity != Clarity.BALANCED else []
    if not roles:
        roles = [FitRole.KAM, FitRole.SALES_MANAGER]
    competencies, paths = {}, {}
    ladders = {ladder.code: ladder for ladder in career_ladders()}
    for role in roles:
        profile = RoleProfile.objects.filter(code=role).first()
        if profile is not None:
            rows = competency_gaps(person, profile) if person is not None else []
            if any(row.rated is not None for row in rows):
                competencies[role] = [row.competency for row in rows if row.gap]
            else:
                levels = ExpectedLevel.objects.filter(profile=profile, level__gte=5)
                competencies[role] = [
                    level.competency
                    for level in levels.select_related("competency").order_by(
                        "competency__position"
                    )
                ]
        if role in ladders:
            paths[role] = [s for s in ladders[role].steps.all() if not s.is_later_step]
    return Explanation(
        result=result,
        score=result_score,
        headline=headline(result_score),
        no_better_role=_(
            "Neither role is better than the other: this only says which one fits you."
        ),
        contributions=contributions,
        roles=roles,
        competencies=competencies,
        paths=paths,
    )


# --- role fit: versions of the questionnaire ----------------------------------------------


@transaction.atomic
def new_questionnaire_version(source: Questionnaire, *, acting_user: User) -> Questionnaire:
    """A draft copy of `source` with the next version number, to be edited and published."""
    latest = Questionnaire.objects.order_by("-version").values_list("version", flat=True).first()
    draft = Questionnaire.objects.create(
        version=(latest or 0) + 1,
        clearly_from=source.clearly_from,
        rather_from=source.rather_from,
        note=source.note,
    )
    for question in source.questions.prefetch_related("options"):
        options = list(question.options.all())
        question.pk = None
        question.questionnaire = draft
        question.save()
        for option in options:
            option.pk = None
            option.question = question
            option.save()
    record(draft, "create", acting_user=acting_user, changes={"copied_from": source.version})
    return draft


@transaction.atomic
def publish_questionnaire(questionnaire: Questionnaire, *, acting_user: User) -> Questionnaire:
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if questionnaire.published_at is not None:
        return questionnaire
    if not questionnaire.questions.exists():
        raise DomainError(_("A questionnaire needs at least one question."))
    questionnaire.published_at = timezone.now()
    questionnaire.save(update_fields=["published_at"])
    record(questionnaire, "publish", acting_user=acting_user)
    return questionnaire


# --- assessments and goals ----------------------------------------------------------------


def _may_write_for(acting_user: User, person: User) -> bool:
    return acting_user.pk == person.pk or manages(acting_user, person)


@transaction.atomic
def create_assessment(
    person: User,
    *,
    acting_user: User,
    kind: str,
    levels: dict,
    rated_on: datetime.date | None = None,
    note: str = "",
    profile: RoleProfile | None = None,
) -> Assessment:
    """Rate `person` against their role's competency model. `levels` maps a competency (or its
    code) to a level from 1 to 5; every competency of the model must be rated."""
    if kind == AssessmentKind.SELF and acting_user.pk != person.pk:
        raise DomainError(_("Only the person themself writes their self-assessment."))
    if kind == AssessmentKind.MANAGER and not manages(acting_user, person):
        raise DomainError(_("Only the person's manager writes the manager's assessment."))
    if kind not in AssessmentKind.values:
        raise DomainError(_("Choose a self-assessment or a manager's assessment."), field="kind")
    profile = profile or profile_for(person)
    if profile is None:
        raise DomainError(_("There is no competency model for this person's role."))
    expected = {
        level.competency.code: level.competency
        for level in ExpectedLevel.objects.filter(profile=profile).select_related("competency")
    }
    by_code = {
        (key.code if isinstance(key, Competency) else str(key)): value
        for key, value in levels.items()
    }
    for code in by_code:
        if code not in expected:
            raise DomainError(
                _("{code} is not a competency of this model.").format(code=code), field=code
            )
    for code in expected:
        value = by_code.get(code)
        if value in (None, ""):
            raise DomainError(_("Rate every competency."), field=code)
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise DomainError(_("Rate from 1 to 5."), field=code) from None
        if not 1 <= value <= 5:
            raise DomainError(_("Rate from 1 to 5."), field=code)
        by_code[code] = value
    assessment = Assessment.objects.create(
        person=person,
        profile=profile,
        kind=kind,
        rated_by=acting_user,
        rated_on=rated_on or timezone.localdate(),
        note=note,
    )
    Rating.objects.bulk_create(
        Rating(assessment=assessment, competency=expected[code], level=level)
        for code, level in by_code.items()
    )
    record(assessment, "create", acting_user=acting_user, changes={"levels": by_code})
    return assessment


@transaction.atomic
def add_development_goal(
    person: User,
    *,
    acting_user: User,
    title: str,
    competency: Competency | None = None,
    due_on: datetime.date | None = None,
) -> DevelopmentGoal:
    if not _may_write_for(acting_user, person):
        raise DomainError(_("Only the person and their manager set development goals."))
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Name the goal."), field="title")
    goal = DevelopmentGoal.objects.create(
        person=person, title=title, competency=competency, due_on=due_on, created_by=acting_user
    )
    record(goal, "create", acting_user=acting_user, changes={"title": title})
    return goal


@transaction.atomic
def set_goal_status(goal: DevelopmentGoal, *, acting_user: User, status: str) -> DevelopmentGoal:
    goal = DevelopmentGoal.objects.select_for_update().select_related("person").get(pk=goal.pk)
    if not _may_write_for(acting_user, goal.person):
        raise DomainError(_("Only the person and their manager change development goals."))
    if status not in GoalStatus.values:
        raise DomainError(_("Choose open or done."), field="status")
    if goal.status == status:
        return goal
    old = goal.status
    goal.status = status
    goal.save(update_fields=["status"])
    record(goal, "update", acting_user=acting_user, changes={"status": [old, status]})
    return goal


@transaction.atomic
def set_career_position(
    person: User,
    *,
    acting_user: User,
    step: CareerStep,
    years_in_sales: Decimal,
    leadership_years: Decimal = Decimal("0"),
) -> CareerPosition:
    """Record where a person stands on a ladder: by themself or their manager."""
    if not (
        acting_user.pk == person.pk
        or acting_user.sees_everything
        or (person.pk in managed_user_ids(acting_user))
    ):
        raise DomainError(_("Only the person and their manager record their career position."))
    if years_in_sales is None or Decimal(years_in_sales) < 0:
        raise DomainError(_("Years cannot be negative."), field="years_in_sales")
    if leadership_years is None or Decimal(leadership_years) < 0:
        raise DomainError(_("Years cannot be negative."), field="leadership_years")
    if Decimal(leadership_years) > Decimal(years_in_sales):
        raise DomainError(
            _("Years in leadership cannot exceed years in sales."), field="leadership_years"
        )
    position, created = CareerPosition.objects.select_for_update().get_or_create(
        person=person,
        defaults={
            "step": step,
            "years_in_sales": years_in_sales,
            "leadership_years": leadership_years,
        },
    )
    if not created:
        position.step = step
        position.years_in_sales = years_in_sales
        position.leadership_years = leadership_years
        position.save()
    record(
        position,
        "create" if created else "update",
        acting_user=acting_user,
        changes={
            "step": step.code,
            "years_in_sales": str(years_in_sales),
            "leadership_years": str(leadership_years),
        },
    )
    return position
