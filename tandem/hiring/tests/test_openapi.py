"""The hiring and coaching endpoints are in the API schema (and do not break it)."""

from django.test import Client


def test_the_schema_lists_hiring_and_coaching(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/hiring/positions",
        "/api/hiring/positions/{position_id}/comparison",
        "/api/hiring/candidates/{candidate_id}/scores",
        "/api/hiring/onboarding",
        "/api/hiring/onboarding/{plan_id}/steps/{step_id}/done",
        "/api/coaching/reps",
        "/api/coaching/reps/{rep_id}",
        "/api/coaching/notes/{note_id}",
    ):
        assert path in paths, path
    schemas = response.json()["components"]["schemas"]
    # the key-account candidate and the hiring candidate stay two schemas
    assert {"CandidateSchema", "HiringCandidateSchema", "CoachingNoteSchema"} <= set(schemas)
