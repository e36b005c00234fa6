"""Reads for hiring and onboarding: who sees which positions, candidates and plans, the side by
side comparison of candidates and the onboarding progress.

Hiring is a Sales Manager's job: a Sales Manager sees the positions of the teams they manage (and
those they are the hiring manager of); the Head of Sales and admins see all; reps and KAMs see no
position and no candidate. An onboarding plan is seen by its new member, their manager (the plan's
manager and the manager of the member's team), the Head of Sales and admins.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from tandem.hiring.models import (
    Candidate,
    CandidateStatus,
    InterviewScore,
    OnboardingPlan,
    OnboardingStep,
    OnboardingTemplateStep,
    Position,
)
from tandem.people.models import Competency, ExpectedLevel, RoleProfile
from tandem.users.models import Role, Team, User


def can_hire(user: User) -> bool:
    return user.sees_everything or user.role == Role.SALES_MANAGER


def hiring_teams(user: User) -> QuerySet[Team]:
    """The teams `user` may open positions and make onboarding plans for."""
    if user.sees_everything:
        return Team.objects.all()
    if user.role == Role.SALES_MANAGER:
        return Team.objects.filter(manager=user)
    return Team.objects.none()


def visible_positions(user: User) -> QuerySet[Position]:
    if user.sees_everything:
        return Position.objects.all()
    if user.role == Role.SALES_MANAGER:
        return Position.objects.filter(Q(team__manager=user) | Q(hiring_manager=user))
    return Position.objects.none()


def get_position_for(user: User, pk: int) -> Position:
    return get_object_or_404(
        visible_positions(user).select_related("team", "profile", "step", "hiring_manager"), pk=pk
    )


def visible_candidates(user: User) -> QuerySet[Candidate]:
    return Candidate.objects.filter(position__in=visible_positions(user))


def get_candidate_for(user: User, pk: int) -> Candidate:
    return get_object_or_404(
        visible_candidates(user).select_related("position__profile", "position__step"), pk=pk
    )


def position_list(user: User, status: str | None = None) -> QuerySet[Position]:
    positions = visible_positions(user).select_related("team", "profile", "step", "hiring_manager")
    if status:
        positions = positions.filter(status=status)
    return positions.annotate(
        candidate_count=Count("candidates", distinct=True),
        active_count=Count(
            "candidates", filter=Q(candidates__status=CandidateStatus.ACTIVE), distinct=True
        ),
    ).order_by("status", "-opened_on", "-pk")


def role_profiles() -> QuerySet[RoleProfile]:
    return RoleProfile.objects.order_by("position", "code")


@dataclass
class Expectation:
    competency: Competency
    expected: int


def expectations(position: Position) -> list[Expectation]:
    """The role's competencies and the level the position expects (the model's level shifted
    by the level's offset, never below 1)."""
    offset = position.level_offset
    return [
        Expectation(level.competency, max(level.level + offset, 1))
        for level in ExpectedLevel.objects.filter(profile_id=position.profile_id)
        .select_related("competency")
        .order_by("competency__position", "competency__code")
    ]


@dataclass
class Cell:
    average: float | None
    count: int
    expected: int

    @property
    def gap(self) -> float | None:
        """Average score minus the expected level: negative = below the expectation."""
        return None if self.average is None else round(self.average - self.expected, 2)


@dataclass
class CandidateColumn:
    candidate: Candidate
    cells: list[Cell] = field(default_factory=list)
    interviewers: int = 0

    @property
    def average(self) -> float | None:
        """Mean of the per-competency averages over the competencies scored."""
        scored = [cell.average for cell in self.cells if cell.average is not None]
        return round(sum(scored) / len(scored), 2) if scored else None

    @property
    def below(self) -> int:
        """How many competencies are scored below the expected level."""
        return sum(1 for cell in self.cells if cell.gap is not None and cell.gap < 0)


@dataclass
class Comparison:
    position: Position
    expectations: list[Expectation]
    columns: list[CandidateColumn]

    @property
    def rows(self) -> list[dict]:
        return [
            {"expectation": exp, "cells": [column.cells[index] for column in self.columns]}
            for index, exp in enumerate(self.expectations)
        ]

    def chart(self) -> dict:
        return {
            "indicators": [{"name": exp.competency.label, "max": 5} for exp in self.expectations],
            "expected": [exp.expected for exp in self.expectations],
            "candidates": [
                {
                    "name": column.candidate.name,
                    "values": [cell.average for cell in column.cells],
                }
                for column in self.columns
            ],
        }


def compare_candidates(position: Position, include_closed: bool = True) -> Comparison:
    """Side by side: per competency of the role, each candidate's average score over their
    interviewers and the gap to the level's expectation. Two queries (plus the candidates)."""
    expected = expectations(position)
    candidates = list(position.candidates.order_by("name", "pk"))
    if not include_closed:
        candidates = [c for c in candidates if c.status != CandidateStatus.WITHDRAWN]
    averages = {
        (row["candidate_id"], row["competency_id"]): (row["average"], row["n"])
        for row in InterviewScore.objects.filter(candidate__position=position)
        .values("candidate_id", "competency_id")
        .annotate(average=Avg("score"), n=Count("pk"))
        .order_by()
    }
    interviewers = dict(
        InterviewScore.objects.filter(candidate__position=position)
        .values("candidate_id")
        .annotate(n=Count("interviewer_id", distinct=True))
        .values_list("candidate_id", "n")
        .order_by()
    )
    columns = []
    for candidate in candidates:
        column = CandidateColumn(candidate, interviewers=interviewers.get(candidate.pk, 0))
        for exp in expected:
            average, n = averages.get((candidate.pk, exp.competency.pk), (None, 0))
            column.cells.append(
                Cell(None if average is None else round(float(average), 2), n, exp.expected)
            )
        columns.append(column)
    return Comparison(position, expected, columns)


def scores_of(candidate: Candidate) -> QuerySet[InterviewScore]:
    return candidate.scores.select_related("competency", "interviewer").order_by(
        "competency__position", "interviewer__last_name", "interviewer_id"
    )


def my_scores(candidate: Candidate, interviewer: User) -> dict[int, InterviewScore]:
    return {s.competency_id: s for s in candidate.scores.filter(interviewer=interviewer)}


# --- onboarding ---------------------------------------------------------------------------


def template_for(role: str) -> QuerySet[OnboardingTemplateStep]:
    return OnboardingTemplateStep.objects.filter(role=role).order_by("position")


def visible_plans(user: User) -> QuerySet[OnboardingPlan]:
    if user.sees_everything:
        return OnboardingPlan.objects.all()
    return OnboardingPlan.objects.filter(
        Q(member=user) | Q(manager=user) | Q(member__team__manager=user)
    )


def get_plan_for(user: User, pk: int) -> OnboardingPlan:
    return get_object_or_404(visible_plans(user).select_related("member__team", "manager"), pk=pk)


def can_edit_plan(user: User, plan: OnboardingPlan) -> bool:
    """Add steps, tick any step: the plan's manager, the member's team manager, head, admin."""
    if user.sees_everything or plan.manager_id == user.pk:
        return True
    team = plan.member.team
    return team is not None and team.manager_id == user.pk and plan.member_id != user.pk


def can_tick(user: User, step: OnboardingStep) -> bool:
    """Tick a step done (or undo it): whoever may edit the plan, the step's owner, the member."""
    return (
        can_edit_plan(user, step.plan) or step.owner_id == user.pk or step.plan.member_id == user.pk
    )


@dataclass
class Progress:
    plan: OnboardingPlan
    total: int
    done: int
    overdue: int

    @property
    def percent_done(self) -> float:
        return round(100 * self.done / self.total, 1) if self.total else 100.0


def onboarding_progress(
    user: User, today: datetime.date, plans: QuerySet[OnboardingPlan] | None = None
) -> list[Progress]:
    """Each visible plan with its steps done and overdue (due before today, not done). One
    query."""
    plans = visible_plans(user) if plans is None else plans
    rows = (
        plans.select_related("member__team", "manager")
        .annotate(
            total=Count("steps"),
            done=Count("steps", filter=Q(steps__done_on__isnull=False)),
            overdue=Count("steps", filter=Q(steps__done_on__isnull=True, steps__due_on__lt=today)),
        )
        .order_by("-starts_on", "-pk")
    )
    return [Progress(plan, plan.total, plan.done, plan.overdue) for plan in rows]


def led_by(user: User) -> QuerySet[OnboardingPlan]:
    """The plans of the new members `user` leads (as the plan's or the team's manager)."""
    return OnboardingPlan.objects.filter(Q(manager=user) | Q(member__team__manager=user)).exclude(
        member=user
    )


def steps_of(plan: OnboardingPlan) -> QuerySet[OnboardingStep]:
    return plan.steps.select_related("owner").order_by("due_on", "position", "pk")


def plan_candidates(user: User) -> QuerySet[User]:
    """The people `user` may make an onboarding plan for: members of their teams (anyone
    active for the Head of Sales and admins) who have none yet."""
    people = User.objects.filter(is_active=True, onboarding_plan__isnull=True)
    if user.sees_everything:
        return people.exclude(pk=user.pk)
    return people.filter(team__manager=user).exclude(pk=user.pk)
