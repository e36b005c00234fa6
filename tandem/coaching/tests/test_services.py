"""Coaching notes: who may write, change and delete them, and bad input."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.coaching.models import CoachingNote
from tandem.coaching.services import add_note, delete_note, update_note
from tandem.core.errors import DomainError
from tandem.people.models import DevelopmentGoal


def test_the_manager_writes_a_note_linked_to_a_goal(org, goal):
    note = add_note(org.alice, acting_user=org.mona, text="  Good discovery call.  ", goal=goal)
    assert (note.text, note.author, note.goal, note.written_on) == (
        "Good discovery call.",
        org.mona,
        goal,
        timezone.localdate(),
    )
    event = AuditEvent.objects.get(action="coaching.note_add")
    assert "Good discovery" not in str(event.changes)  # the text stays private


def test_the_rep_writes_on_their_own_page(org):
    note = add_note(org.alice, acting_user=org.alice, text="I want to practise pricing talks.")
    assert note.author == org.alice


@pytest.mark.parametrize("who", ["bob", "sam", "kim", "hanna", "otto"])
def test_nobody_else_writes_notes(org, who):
    with pytest.raises(DomainError):
        add_note(org.alice, acting_user=getattr(org, who), text="x")


def test_bad_input_is_refused(org, goal):
    with pytest.raises(DomainError) as refused:
        add_note(org.alice, acting_user=org.mona, text="   ")
    assert refused.value.field == "text"
    with pytest.raises(DomainError) as refused:
        add_note(
            org.alice,
            acting_user=org.mona,
            text="x",
            written_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert refused.value.field == "written_on"
    bobs_goal = DevelopmentGoal.objects.create(person=org.bob, title="Other", created_by=org.sam)
    with pytest.raises(DomainError) as refused:
        add_note(org.alice, acting_user=org.mona, text="x", goal=bobs_goal)
    assert refused.value.field == "goal"
    assert not CoachingNote.objects.exists()


def test_only_the_author_changes_or_deletes(org, goal):
    note = add_note(org.alice, acting_user=org.mona, text="First")
    with pytest.raises(PermissionDenied):
        update_note(note, acting_user=org.alice, text="Changed by the rep")
    with pytest.raises(PermissionDenied):
        delete_note(note, acting_user=org.alice)
    update_note(note, acting_user=org.mona, text="Second", goal=goal)
    note.refresh_from_db()
    assert (note.text, note.goal) == ("Second", goal)
    update_note(note, acting_user=org.mona, clear_goal=True)
    note.refresh_from_db()
    assert note.goal is None
    delete_note(note, acting_user=org.mona)
    assert not CoachingNote.objects.exists()


def test_a_former_manager_loses_access_when_the_rep_changes_team(org):
    note = add_note(org.alice, acting_user=org.mona, text="Before the move")
    org.alice.team = org.south
    org.alice.save()
    with pytest.raises(PermissionDenied):
        update_note(note, acting_user=org.mona, text="x")
    add_note(org.alice, acting_user=org.sam, text="New manager")
