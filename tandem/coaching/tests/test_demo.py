"""The coaching demo rows on top of the demo organisation at scale 1."""

import datetime

from tandem.coaching.models import CoachingNote
from tandem.coaching.selectors import coaching_overview, visible_notes
from tandem.core.periods import Period
from tandem.demo.coaching import build_demo
from tandem.demo.generator import build_demo as build_core_demo
from tandem.demo.generator import delete_demo
from tandem.people.models import DevelopmentGoal, GoalStatus
from tandem.users.models import User

TODAY = datetime.date(2026, 6, 15)


def test_demo_notes_for_the_managers_reps(db):
    build_core_demo(scale=1, seed=1, today=TODAY)
    counts = build_demo(TODAY)
    assert counts["coaching_notes"] == CoachingNote.objects.count() > 0
    assert build_demo(TODAY) == {"coaching_notes": 0, "development_goals": 0}
    reps = {note.rep_id for note in CoachingNote.objects.all()}
    goals = DevelopmentGoal.objects.filter(person_id__in=reps, status=GoalStatus.OPEN)
    assert counts["development_goals"] == goals.count() == len(reps)
    assert CoachingNote.objects.filter(goal__isnull=False).exists()
    manager = User.objects.get(username="manager")
    lines = coaching_overview(manager, Period.containing(TODAY))
    assert lines and all(line.notes >= 2 for line in lines)
    assert sum(line.notes for line in lines) == CoachingNote.objects.count()
    rep = User.objects.get(username="rep")
    assert visible_notes(rep).exists()
    assert not visible_notes(User.objects.get(username="head")).exists()
    delete_demo()
    assert not CoachingNote.objects.exists()
    assert not DevelopmentGoal.objects.exists()
