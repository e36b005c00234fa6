"""Hiring two candidates at once fills the position once; one interviewer's double submit
keeps one score. Two real database connections at once (PostgreSQL only)."""

from tandem.core.errors import DomainError
from tandem.hiring.models import Candidate, CandidateStatus, InterviewScore, PositionStatus
from tandem.hiring.services import add_candidate, open_position, record_scores, set_candidate_status
from tandem.people.models import RoleProfile
from testsupport.builders import Org
from testsupport.races import needs_postgres, race


@needs_postgres
def test_two_hires_at_once_fill_the_position_once(transactional_db):
    org = Org()
    for attempt in range(3):
        position = open_position(
            acting_user=org.mona,
            title=f"Rep {attempt}",
            team=org.north,
            profile=RoleProfile.objects.get(code="rep"),
        )
        clara = add_candidate(position, acting_user=org.mona, name="Clara")
        dirk = add_candidate(position, acting_user=org.mona, name="Dirk")
        results = race(
            lambda c=clara: set_candidate_status(c, CandidateStatus.HIRED, acting_user=org.mona),
            lambda c=dirk: set_candidate_status(c, CandidateStatus.HIRED, acting_user=org.hanna),
        )
        assert sum(isinstance(r, Candidate) for r in results) == 1, results
        assert sum(isinstance(r, DomainError) for r in results) == 1, results
        position.refresh_from_db()
        assert position.status == PositionStatus.FILLED
        assert position.candidates.filter(status=CandidateStatus.HIRED).count() == 1


@needs_postgres
def test_a_double_submit_keeps_one_score(transactional_db):
    org = Org()
    position = open_position(
        acting_user=org.mona,
        title="Rep",
        team=org.north,
        profile=RoleProfile.objects.get(code="rep"),
    )
    clara = add_candidate(position, acting_user=org.mona, name="Clara")
    entries = [{"competency": "negotiation", "score": 4}]
    results = race(
        lambda: record_scores(clara, entries, acting_user=org.mona),
        lambda: record_scores(clara, entries, acting_user=org.mona),
    )
    assert all(isinstance(r, list) for r in results), results
    assert InterviewScore.objects.filter(candidate=clara).count() == 1
