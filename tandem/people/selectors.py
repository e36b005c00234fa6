"""Reads for people: whose assessments and goals a user sees, competency gaps, career standing.

A person sees their own assessments, goals and career position; a Sales Manager also their
team's; the Head of Sales and admins everyone's.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from tandem.people.models import (
    AssessmentKind,
    CareerLadder,
    CareerPosition,
    CareerStep,
    DevelopmentGoal,
    ExpectedLevel,
    Questionnaire,
    Rating,
    RoleFitResult,
    RoleProfile,
)
from tandem.users.models import Role, User
from tandem.users.selectors import managed_user_ids

# The competency model a person is rated against, by their role in Tandem.
PROFILE_OF_ROLE: dict[str, str] = {
    Role.SALES_REP: "rep",
    Role.KEY_ACCOUNT_MANAGER: "kam",
    Role.SALES_MANAGER: "sales_manager",
    Role.HEAD_OF_SALES: "sales_manager",
}


def visible_people(user: User) -> QuerySet[User]:
    """The people whose assessments, goals and career position `user` may see."""
    if user.sees_everything:
        return User.objects.filter(is_active=True)
    return User.objects.filter(pk__in=managed_user_ids(user))


def search_people(people: QuerySet[User], text: str) -> QuerySet[User]:
    """People whose first name, last name or username contains each word of `text`."""
    for word in text.split():
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
        )
    return people


def get_person_for(user: User, pk: int) -> User:
    return get_object_or_404(visible_people(user), pk=pk)


def visible_goals(user: User) -> QuerySet[DevelopmentGoal]:
    if user.sees_everything:
        return DevelopmentGoal.objects.all()
    return DevelopmentGoal.objects.filter(person_id__in=managed_user_ids(user))


def manages(user: User, person: User) -> bool:
    """Whether `user` writes the manager's assessment of `person`: their team's Sales Manager,
    or the Head of Sales and admins for anyone but themselves."""
    if user.pk == person.pk:
        return False
    if user.sees_everything:
        return True
    return user.role == Role.SALES_MANAGER and person.pk in managed_user_ids(user)


def profile_for(person: User) -> RoleProfile | None:
    code = PROFILE_OF_ROLE.get(person.role)
    return RoleProfile.objects.filter(code=code).first() if code else None


def competency_profiles() -> QuerySet[RoleProfile]:
    levels = ExpectedLevel.objects.select_related("competency").order_by("competency__position")
    return RoleProfile.objects.prefetch_related(Prefetch("expected_levels", queryset=levels))


@dataclass
class GapRow:
    competency: object
    expected: int
    self_level: int | None = None
    manager_level: int | None = None

    @property
    def rated(self) -> int | None:
        """The level the gap is measured from: the manager's rating, else the self-rating."""
        return self.manager_level if self.manager_level is not None else self.self_level

    @property
    def gap(self) -> int | None:
        return None if self.rated is None else max(self.expected - self.rated, 0)


def _latest_level(person: User, kind: str) -> Subquery:
    """The level of the competency in the person's latest assessment of `kind` that rated it
    (whatever model that assessment used: a competency belongs to the person)."""
    ratings = Rating.objects.filter(
        assessment__person=person, assessment__kind=kind, competency_id=OuterRef("competency_id")
    ).order_by("-assessment__rated_on", "-assessment_id")
    return Subquery(ratings.values("level")[:1])


def competency_gaps(person: User, profile: RoleProfile, offset: int = 0) -> list[GapRow]:
    """The person's latest self- and manager ratings against the expected levels of `profile`
    (shifted by `offset`, never below 1). Gap = expected − rating (manager's, else own), at
    least 0. One query."""
    expected = (
        ExpectedLevel.objects.filter(profile=profile)
        .select_related("competency")
        .annotate(
            self_level=_latest_level(person, AssessmentKind.SELF),
            manager_level=_latest_level(person, AssessmentKind.MANAGER),
        )
        .order_by("competency__position")
    )
    return [
        GapRow(
            competency=level.competency,
            expected=max(level.level + offset, 1),
            self_level=level.self_level,
            manager_level=level.manager_level,
        )
        for level in expected
    ]


# --- career ladders -----------------------------------------------------------------------


def career_ladders() -> QuerySet[CareerLadder]:
    steps = CareerStep.objects.select_related("profile").order_by("position")
    return CareerLadder.objects.prefetch_related(Prefetch("steps", queryset=steps))


def career_position_of(person: User) -> CareerPosition | None:
    return (
        CareerPosition.objects.select_related("step__ladder", "step__profile")
        .filter(person=person)
        .first()
    )


@dataclass
class CareerStanding:
    position: CareerPosition
    next_step: CareerStep | None
    missing_years: Decimal = Decimal("0")
    missing_leadership_years: Decimal = Decimal("0")
    competency_gaps: list[GapRow] = field(default_factory=list)

    @property
    def open_gaps(self) -> list[GapRow]:
        return [row for row in self.competency_gaps if row.gap]

    @property
    def unrated(self) -> list[GapRow]:
        return [row for row in self.competency_gaps if row.rated is None]

    @property
    def ready(self) -> bool:
        return (
            self.next_step is not None
            and not self.missing_years
            and not self.missing_leadership_years
            and not self.open_gaps
            and not self.unrated
        )


def career_standing(person: User) -> CareerStanding | None:
    """Where the person stands and what is missing for the next step on their ladder."""
    position = career_position_of(person)
    if position is None:
        return None
    next_step = (
        CareerStep.objects.filter(ladder=position.step.ladder, position__gt=position.step.position)
        .select_related("profile")
        .order_by("position")
        .first()
    )
    standing = CareerStanding(position=position, next_step=next_step)
    if next_step is None:
        return standing
    standing.missing_years = max(
        Decimal(next_step.years_from) - position.years_in_sales, Decimal(0)
    )
    standing.missing_leadership_years = max(
        Decimal(next_step.leadership_years) - position.leadership_years, Decimal(0)
    )
    standing.competency_gaps = competency_gaps(
        person, next_step.profile, offset=next_step.level_offset
    )
    return standing


# --- role fit -----------------------------------------------------------------------------


def current_questionnaire() -> Questionnaire | None:
    """The newest published version of the role-fit questionnaire."""
    return (
        Questionnaire.objects.filter(published_at__isnull=False)
        .prefetch_related("questions__options")
        .order_by("-version")
        .first()
    )


def get_result(token) -> RoleFitResult:
    """A result by its unguessable token: whoever holds the link may read it."""
    return get_object_or_404(RoleFitResult.objects.select_related("questionnaire"), token=token)


def role_fit_results_of(user: User) -> QuerySet[RoleFitResult]:
    """A signed-in user's own stored results, newest first (nobody else's)."""
    return RoleFitResult.objects.filter(user=user).select_related("questionnaire")
