"""Demo coaching on top of the demo organisation: for the reps of the demo Sales Manager
(`manager`), two to four coaching notes over the last quarter, written by the manager and now
and then by the rep, every other one linked to the rep's first open development goal when they
have one. Deterministic and idempotent: a rep who has notes is left alone.

No development goals are made here: tandem.people's DevelopmentGoal.created_by is PROTECT, so
goals of demo users would stop `tandem demo --reset` from deleting the demo users."""

from __future__ import annotations

import datetime

from tandem.coaching.models import CoachingNote
from tandem.coaching.selectors import coached_reps
from tandem.coaching.services import add_note
from tandem.demo.generator import demo_users
from tandem.people.models import DevelopmentGoal, GoalStatus

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


def build_demo(today: datetime.date) -> dict[str, int]:
    counts = {"coaching_notes": 0}
    manager = demo_users().filter(username="manager").first()
    if manager is None:
        return counts
    reps = coached_reps(manager).filter(pk__in=demo_users().values("pk")).order_by("pk")
    for index, rep in enumerate(reps):
        if CoachingNote.objects.filter(rep=rep).exists():
            continue
        goal = (
            DevelopmentGoal.objects.filter(person=rep, status=GoalStatus.OPEN)
            .order_by("pk")
            .first()
        )
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
