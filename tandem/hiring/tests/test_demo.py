"""The hiring demo rows on top of the demo organisation at scale 1."""

import datetime

from tandem.demo.generator import build_demo as build_core_demo
from tandem.demo.generator import delete_demo
from tandem.demo.hiring import build_demo
from tandem.hiring.models import Candidate, InterviewScore, OnboardingPlan, Position
from tandem.hiring.selectors import compare_candidates, onboarding_progress, visible_positions
from tandem.users.models import User

TODAY = datetime.date(2026, 6, 15)


def test_demo_positions_candidates_and_onboarding(db):
    build_core_demo(scale=1, seed=1, today=TODAY)
    counts = build_demo(TODAY)
    assert counts["positions"] == Position.objects.count() == 4
    assert counts["candidates"] == Candidate.objects.count() > 0
    assert counts["interview_scores"] == InterviewScore.objects.count() > 0
    assert counts["onboarding_plans"] == OnboardingPlan.objects.count() == 2
    assert build_demo(TODAY) == dict.fromkeys(counts, 0)  # idempotent
    manager = User.objects.get(username="manager")
    mine = visible_positions(manager)
    assert mine.filter(status="open").count() == 2
    comparison = compare_candidates(mine.filter(status="open").first())
    assert all(column.average is not None for column in comparison.columns)
    assert all(column.interviewers == 2 for column in comparison.columns)
    rep = User.objects.get(username="rep")
    (progress,) = onboarding_progress(rep, TODAY)
    assert 0 < progress.done < progress.total and progress.overdue >= 1
    assert not visible_positions(rep).exists()
    # removing the demo removes these rows too
    delete_demo()
    assert not Position.objects.exists() and not OnboardingPlan.objects.exists()
