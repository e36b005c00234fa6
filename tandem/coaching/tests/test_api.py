"""The coaching endpoints: only the rep and their team's manager get anything."""

from decimal import Decimal

import pytest

from tandem.coaching.services import add_note
from tandem.pipeline.models import Deal


def test_the_manager_lists_their_reps(org, api, carl, q1_deals):
    rows = api("mona").get("/api/coaching/reps?period=2026Q1").json()
    assert {row["username"] for row in rows} == {"alice", "carl"}
    alice = next(row for row in rows if row["username"] == "alice")
    won = Deal.objects.filter(owner=org.alice, stage__code="won").count()
    lost = Deal.objects.filter(owner=org.alice, stage__code="lost").count()
    assert alice["win_rate"] == pytest.approx(won / (won + lost))
    assert api("hanna").get("/api/coaching/reps").json() == []
    bad = api("mona").get("/api/coaching/reps?period=2026Q9")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "period"]


def test_rep_detail_with_scorecard_goals_and_notes(org, api, carl, q1_deals, goal):
    add_note(org.alice, acting_user=org.mona, text="Note one", goal=goal)
    body = api("alice").get(f"/api/coaching/reps/{org.alice.pk}?period=2026Q1").json()
    won = sum(d.value for d in Deal.objects.filter(owner=org.alice, stage__code="won"))
    assert Decimal(body["scorecard"]["rep"]["won_value"]) == won
    team_won = sum(d.value for d in Deal.objects.filter(owner__team=org.north, stage__code="won"))
    assert Decimal(body["scorecard"]["team"]["won_value"]) == team_won
    assert [g["title"] for g in body["goals"]] == [goal.title]
    assert [(n["text"], n["goal"]) for n in body["notes"]] == [("Note one", goal.pk)]
    assert "avg_deal_size" in {flag["key"] for flag in body["scorecard"]["flags"]}


@pytest.mark.parametrize("persona", ["bob", "sam", "kim", "hanna", "otto"])
def test_everyone_else_gets_not_found(org, api, persona):
    note = add_note(org.alice, acting_user=org.mona, text="Private")
    client = api(persona)
    assert client.get(f"/api/coaching/reps/{org.alice.pk}").status_code == 404
    assert client.get(f"/api/coaching/reps/{org.alice.pk}/notes").status_code == 404
    created = client.post(
        f"/api/coaching/reps/{org.alice.pk}/notes", {"text": "x"}, content_type="application/json"
    )
    assert created.status_code == 404
    assert client.delete(f"/api/coaching/notes/{note.pk}").status_code == 404


def test_write_change_and_delete_a_note(org, api, goal):
    created = api("mona").post(
        f"/api/coaching/reps/{org.alice.pk}/notes",
        {"text": "Ask more open questions.", "goal": goal.pk},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    note_id = created.json()["id"]
    empty = api("mona", "de").post(
        f"/api/coaching/reps/{org.alice.pk}/notes", {"text": " "}, content_type="application/json"
    )
    assert empty.status_code == 422
    problem = empty.json()["detail"][0]
    assert (problem["loc"], problem["msg"]) == (["body", "text"], "Schreiben Sie die Notiz.")
    by_rep = api("alice").patch(
        f"/api/coaching/notes/{note_id}", {"text": "Mine now"}, content_type="application/json"
    )
    assert by_rep.status_code == 403  # refused for who asks, not for what was sent
    changed = api("mona").patch(
        f"/api/coaching/notes/{note_id}",
        {"text": "Ask open questions first.", "clear_goal": True},
        content_type="application/json",
    )
    assert changed.json()["text"] == "Ask open questions first." and changed.json()["goal"] is None
    assert api("mona").delete(f"/api/coaching/notes/{note_id}").status_code == 204
    assert api("alice").get(f"/api/coaching/reps/{org.alice.pk}/notes").json() == []
