"""Demo hiring and onboarding on top of the demo organisation.

The team of the demo Sales Manager (`manager`) hires: an open sales-rep position with three
candidates and an open senior-account-manager position with two, each scored by the manager and
the Head of Sales on the role's competencies; the next team has a filled and a closed position.
The demo rep (`rep`) and one rep of the next team are onboarding: plans from the template of
their role, started three and eight weeks ago, most past steps done and one or two overdue.
Deterministic (scores come from the candidates' fixed profiles) and idempotent: a team that has
positions, a person who has a plan, is left alone.
"""

from __future__ import annotations

import datetime

from tandem.demo.marks import demo_users
from tandem.hiring.models import CandidateStatus, OnboardingPlan, Position
from tandem.hiring.selectors import expectations
from tandem.hiring.services import (
    add_candidate,
    create_onboarding_plan,
    open_position,
    record_scores,
    set_candidate_status,
    set_position_status,
    set_step_done,
)
from tandem.people.models import CareerStep, RoleProfile
from tandem.users.models import Role, Team

# name, e-mail, how far each competency is from the expected level (cycled), interviewer spread
CANDIDATES = {
    "rep": [
        ("Lena Hoffmann", "lena.hoffmann@example.com", [1, 0, 1, 0, -1, 1]),
        ("Jonas Becker", "jonas.becker@example.com", [0, -1, -1, 1, 0, 0]),
        ("Mira Schulz", "mira.schulz@example.com", [-1, 1, 0, -2, 1, -1]),
    ],
    "kam": [
        ("Katrin Vogel", "katrin.vogel@example.com", [1, 0, 0, 1, -1, 0]),
        ("Tobias Krüger", "tobias.krueger@example.com", [-1, 1, -1, 0, 0, -2]),
    ],
}


def _score(expected: int, delta: int, interviewer: int) -> int:
    # the second interviewer is one point stricter on every other competency
    return min(max(expected + delta - (interviewer if delta % 2 == 0 else 0), 1), 5)


def _candidates(position: Position, people: list, interviewers: list) -> tuple[int, int]:
    wanted = expectations(position)
    candidates = scores = 0
    for name, email, deltas in people:
        candidate = add_candidate(
            position, acting_user=position.hiring_manager, name=name, email=email
        )
        candidates += 1
        for index, interviewer in enumerate(interviewers):
            entries = [
                {
                    "competency": exp.competency,
                    "score": _score(exp.expected, deltas[i % len(deltas)], index),
                }
                for i, exp in enumerate(wanted)
            ]
            scores += len(record_scores(candidate, entries, acting_user=interviewer))
    return candidates, scores


def build_demo(today: datetime.date) -> dict[str, int]:
    counts = {"positions": 0, "candidates": 0, "interview_scores": 0, "onboarding_plans": 0}
    users = demo_users()
    head = users.filter(role=Role.HEAD_OF_SALES).order_by("pk").first()
    manager = users.filter(username="manager").first()
    if head is None or manager is None:
        return counts
    teams = list(Team.objects.filter(manager__in=users).order_by("pk"))
    main = next((team for team in teams if team.manager_id == manager.pk), None)
    other = next((team for team in teams if team.manager_id != manager.pk), None)
    rep_model = RoleProfile.objects.get(code="rep")
    kam_model = RoleProfile.objects.get(code="kam")
    senior = CareerStep.objects.get(ladder__code="kam", code="senior_account_manager")
    if main is not None and not main.positions.exists():
        for title, profile, step, people in (
            (f"Sales rep {main.name}", rep_model, None, CANDIDATES["rep"]),
            (f"Senior account manager {main.name}", kam_model, senior, CANDIDATES["kam"]),
        ):
            position = open_position(
                acting_user=manager,
                title=title,
                team=main,
                profile=profile,
                step=step,
                opened_on=today - datetime.timedelta(days=30),
            )
            counts["positions"] += 1
            added, scored = _candidates(position, people, [manager, head])
            counts["candidates"] += added
            counts["interview_scores"] += scored
    if other is not None and not other.positions.exists():
        filled = open_position(
            acting_user=other.manager,
            title=f"Sales rep {other.name}",
            team=other,
            profile=rep_model,
            opened_on=today - datetime.timedelta(days=120),
        )
        added, scored = _candidates(filled, CANDIDATES["rep"][:2], [other.manager])
        first = filled.candidates.order_by("pk").first()
        set_candidate_status(first, CandidateStatus.HIRED, acting_user=other.manager)
        closed = open_position(
            acting_user=other.manager,
            title=f"Team lead {other.name}",
            team=other,
            profile=RoleProfile.objects.get(code="team_lead"),
            opened_on=today - datetime.timedelta(days=200),
        )
        set_position_status(closed, "closed", acting_user=other.manager)
        counts["positions"] += 2
        counts["candidates"] += added
        counts["interview_scores"] += scored
    members = [users.filter(username="rep").first()]
    if other is not None:
        members.append(
            users.filter(team=other, role=Role.SALES_REP, is_active=True).order_by("pk").first()
        )
    for member, weeks in zip(members, (3, 8), strict=False):
        if member is None or member.team_id is None:
            continue
        if OnboardingPlan.objects.filter(member=member).exists():
            continue
        plan = create_onboarding_plan(
            member,
            acting_user=member.team.manager,
            starts_on=today - datetime.timedelta(weeks=weeks),
        )
        counts["onboarding_plans"] += 1
        past = list(plan.steps.filter(due_on__lt=today).order_by("due_on", "position"))
        for step in past[:-1] if len(past) > 2 else past[:1]:  # leave the latest one overdue
            set_step_done(step, True, acting_user=plan.manager, today=step.due_on)
    return counts
