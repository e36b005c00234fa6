"""Demo coaching on top of the demo organisation: for the reps of the demo Sales Manager
(`manager`), two to four coaching notes over the last quarter, written by the manager and now
and then by the rep, every other one linked to the rep's first open development goal when they
have one. Each rep without an open development goal gets one from the manager first, tied to a
competency of the rep's model. Deterministic and idempotent: a rep who has notes is left
alone."""

from __future__ import annotations

import datetime

from tandem.coaching.models import CoachingNote
from tandem.coaching.selectors import coached_reps
from tandem.coaching.services import add_note
from tandem.demo.marks import demo_users
from tandem.people.models import DevelopmentGoal, ExpectedLevel, GoalStatus
from tandem.people.selectors import profile_for
from tandem.people.services import add_development_goal

NOTES = [
    (
        "manager",
        "Reviewed the pipeline together: three deals have had no next step for a month. "
        "Agreed to call each customer this week.",
    ),
    (
        "manager",
        "Joined the customer meeting. Good preparation; let the customer talk more before "
        "presenting the offer.",
    ),
    ("rep", "Practised the price conversation with a colleague; felt much more confident."),
    (
        "manager",
        "Win rate is below the team's this quarter: we look at the last lost deals together "
        "next week.",
    ),
]


GOALS = [
    "Agree a concrete next step at the end of every customer meeting",
    "Prepare each price negotiation with a walk-away point",
    "Qualify new deals earlier: budget, decision maker, need and timing",
]


def _open_goal(rep, manager, index: int, today: datetime.date) -> DevelopmentGoal:
    goal = DevelopmentGoal.objects.filter(person=rep, status=GoalStatus.OPEN).order_by("pk")
    if goal.exists():
        return goal.first()
    levels = ExpectedLevel.objects.filter(profile=profile_for(rep)).order_by("competency__position")
    level = levels[index % levels.count()] if levels.exists() else None
    return add_development_goal(
        rep,
        acting_user=manager,
        title=GOALS[index % len(GOALS)],
        competency=level.competency if level else None,
        due_on=today + datetime.timedelta(days=90),
    )


def build_demo(today: datetime.date) -> dict[str, int]:
    counts = {"coaching_notes": 0, "development_goals": 0}
    manager = demo_users().filter(username="manager").first()
    if manager is None:
        return counts
    reps = coached_reps(manager).filter(pk__in=demo_users().values("pk")).order_by("pk")
    for index, rep in enumerate(reps):
        if CoachingNote.objects.filter(rep=rep).exists():
            continue
        had_goal = DevelopmentGoal.objects.filter(person=rep, status=GoalStatus.OPEN).exists()
        goal = _open_goal(rep, manager, index, today)
        counts["development_goals"] += 0 if had_goal else 1
        for number, (who, text) in enumerate(NOTES[: 2 + index % 3]):
            add_note(
                rep,
                acting_user=manager if who == "manager" else rep,
                text=text,
                written_on=today - datetime.timedelta(days=80 - 25 * number),
                goal=goal if number % 2 else None,
            )
            counts["coaching_notes"] += 1
    return counts
