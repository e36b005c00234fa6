"""Hiring rules: positions, candidates and interview scores, with bad input refused."""

import datetime
from statistics import mean

import pytest

from tandem.audit.models import AuditEvent
from tandem.core.errors import DomainError
from tandem.hiring.models import CandidateStatus, InterviewScore, PositionStatus
from tandem.hiring.selectors import compare_candidates, expectations
from tandem.hiring.services import (
    add_candidate,
    open_position,
    record_scores,
    set_candidate_status,
    set_position_status,
)
from tandem.people.models import CareerStep, ExpectedLevel, RoleProfile


def test_opening_a_position_defaults_the_hiring_manager_and_is_audited(org, kam_position):
    assert kam_position.hiring_manager == org.mona
    assert kam_position.status == PositionStatus.OPEN
    assert AuditEvent.objects.filter(
        action="position.open", object_id=str(kam_position.pk)
    ).exists()


def test_the_level_shifts_the_expected_levels_never_below_one(org, kam_position):
    shipped = {
        level.competency.code: level.level
        for level in ExpectedLevel.objects.filter(profile__code="kam").select_related("competency")
    }
    offset = CareerStep.objects.get(ladder__code="kam", code="senior_account_manager").level_offset
    assert offset == -1
    assert {e.competency.code: e.expected for e in expectations(kam_position)} == {
        code: max(level + offset, 1) for code, level in shipped.items()
    }


def test_a_level_of_another_role_is_refused(org):
    with pytest.raises(DomainError) as refused:
        open_position(
            acting_user=org.mona,
            title="Rep",
            team=org.north,
            profile=RoleProfile.objects.get(code="rep"),
            step=CareerStep.objects.get(ladder__code="kam", code="account_manager"),
        )
    assert refused.value.field == "step"


def test_a_manager_cannot_open_a_position_for_another_team(org):
    with pytest.raises(DomainError) as refused:
        open_position(
            acting_user=org.mona,
            title="Rep South",
            team=org.south,
            profile=RoleProfile.objects.get(code="rep"),
        )
    assert refused.value.field == "team"
    for user in (org.alice, org.kim):
        with pytest.raises(DomainError):
            open_position(
                acting_user=user,
                title="x",
                team=org.north,
                profile=RoleProfile.objects.get(code="rep"),
            )


def test_head_of_sales_opens_for_any_team_and_title_is_required(org):
    position = open_position(
        acting_user=org.hanna,
        title="Rep South",
        team=org.south,
        profile=RoleProfile.objects.get(code="rep"),
        opened_on=datetime.date(2026, 3, 1),
    )
    assert position.hiring_manager == org.sam
    with pytest.raises(DomainError) as refused:
        open_position(acting_user=org.hanna, title="  ", team=org.south, profile=position.profile)
    assert refused.value.field == "title"


def test_scores_are_checked_and_replace_the_interviewers_earlier_score(org, kam_position):
    candidate = add_candidate(kam_position, acting_user=org.mona, name="Clara Weiss")
    for bad in (0, 6, "x", 2.5, None):
        with pytest.raises(DomainError) as refused:
            record_scores(
                candidate, [{"competency": "negotiation", "score": bad}], acting_user=org.mona
            )
        assert refused.value.field == "score"
    with pytest.raises(DomainError) as refused:  # a Sales Manager competency, not a KAM one
        record_scores(candidate, [{"competency": "leadership", "score": 3}], acting_user=org.mona)
    assert refused.value.field == "competency"
    with pytest.raises(DomainError):
        record_scores(candidate, [], acting_user=org.mona)
    with pytest.raises(DomainError):
        record_scores(
            candidate,
            [{"competency": "negotiation", "score": 3}, {"competency": "negotiation", "score": 4}],
            acting_user=org.mona,
        )
    assert not InterviewScore.objects.exists()  # all or nothing
    record_scores(candidate, [{"competency": "negotiation", "score": 3}], acting_user=org.mona)
    record_scores(
        candidate,
        [{"competency": "negotiation", "score": 5, "note": "Strong"}],
        acting_user=org.mona,
    )
    (row,) = InterviewScore.objects.all()
    assert (row.score, row.note, row.interviewer) == (5, "Strong", org.mona)


def test_nothing_is_added_to_a_closed_position(org, kam_position):
    candidate = add_candidate(kam_position, acting_user=org.mona, name="Clara")
    set_position_status(kam_position, PositionStatus.CLOSED, acting_user=org.mona)
    with pytest.raises(DomainError) as refused:
        add_candidate(kam_position, acting_user=org.mona, name="Dirk")
    assert "closed" in refused.value.message
    candidate.refresh_from_db()
    with pytest.raises(DomainError):
        record_scores(candidate, [{"competency": "negotiation", "score": 3}], acting_user=org.mona)
    set_position_status(kam_position, PositionStatus.OPEN, acting_user=org.mona)
    add_candidate(kam_position, acting_user=org.mona, name="Dirk")


def test_hiring_a_candidate_fills_the_position(org, kam_position):
    clara = add_candidate(kam_position, acting_user=org.mona, name="Clara")
    dirk = add_candidate(kam_position, acting_user=org.mona, name="Dirk")
    set_candidate_status(dirk, CandidateStatus.REJECTED, acting_user=org.mona)
    with pytest.raises(DomainError):  # a rejected candidate's scores are final
        record_scores(dirk, [{"competency": "negotiation", "score": 3}], acting_user=org.mona)
    set_candidate_status(clara, CandidateStatus.HIRED, acting_user=org.mona)
    kam_position.refresh_from_db()
    assert kam_position.status == PositionStatus.FILLED
    with pytest.raises(DomainError):
        set_position_status(kam_position, PositionStatus.OPEN, acting_user=org.mona)
    with pytest.raises(DomainError):
        set_candidate_status(dirk, CandidateStatus.ACTIVE, acting_user=org.mona)
    with pytest.raises(DomainError):
        add_candidate(kam_position, acting_user=org.mona, name="Eva")


def test_other_managers_and_reps_cannot_touch_a_position(org, kam_position):
    candidate = add_candidate(kam_position, acting_user=org.mona, name="Clara")
    for user in (org.sam, org.alice, org.kim):
        with pytest.raises(DomainError):
            add_candidate(kam_position, acting_user=user, name="X")
        with pytest.raises(DomainError):
            record_scores(candidate, [{"competency": "negotiation", "score": 3}], acting_user=user)
        with pytest.raises(DomainError):
            set_position_status(kam_position, PositionStatus.CLOSED, acting_user=user)
    record_scores(candidate, [{"competency": "negotiation", "score": 4}], acting_user=org.hanna)


def test_comparison_averages_over_interviewers_like_plain_python(org, kam_position):
    clara = add_candidate(kam_position, acting_user=org.mona, name="Clara")
    dirk = add_candidate(kam_position, acting_user=org.mona, name="Dirk")
    given = {
        (clara, org.mona): {"negotiation": 4, "relationships": 5, "communication": 3},
        (clara, org.hanna): {"negotiation": 3, "relationships": 4},
        (clara, org.otto): {"negotiation": 2},
        (dirk, org.mona): {"negotiation": 5, "strategic_thinking": 2},
    }
    for (candidate, interviewer), scores in given.items():
        record_scores(
            candidate,
            [{"competency": code, "score": value} for code, value in scores.items()],
            acting_user=interviewer,
        )
    comparison = compare_candidates(kam_position)
    expected_by_code = {e.competency.code: e.expected for e in comparison.expectations}
    # the second computation: plain Python over the stored rows
    rows = list(InterviewScore.objects.values("candidate_id", "competency__code", "score"))
    for column in comparison.columns:
        mine = [r for r in rows if r["candidate_id"] == column.candidate.pk]
        per_code = {}
        for r in mine:
            per_code.setdefault(r["competency__code"], []).append(r["score"])
        for exp, cell in zip(comparison.expectations, column.cells, strict=True):
            values = per_code.get(exp.competency.code)
            if values is None:
                assert cell.average is None and cell.gap is None
                continue
            assert cell.average == pytest.approx(mean(values), abs=0.005)
            assert cell.gap == pytest.approx(
                mean(values) - expected_by_code[exp.competency.code], abs=0.01
            )
            assert cell.count == len(values)
        assert column.average == pytest.approx(mean(mean(v) for v in per_code.values()), abs=0.01)
    clara_column = next(c for c in comparison.columns if c.candidate == clara)
    assert clara_column.interviewers == 3
    chart = comparison.chart()
    assert len(chart["indicators"]) == len(expected_by_code)
    assert [c["name"] for c in chart["candidates"]] == ["Clara", "Dirk"]
