"""Writes of coaching notes: by the rep or the manager of the rep's team; changed or deleted
only by their author (while they may still see it)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.services import record
from tandem.coaching.models import CoachingNote
from tandem.coaching.selectors import can_see_coaching
from tandem.core.errors import DomainError
from tandem.people.models import DevelopmentGoal
from tandem.users.models import User

MAX_TEXT = 10_000


def _text(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the note."), field="text")
    if len(text) > MAX_TEXT:
        raise DomainError(
            _("Enter at most %(limit)d characters.") % {"limit": MAX_TEXT}, field="text"
        )
    return text


def _goal(goal: DevelopmentGoal | None, rep: User) -> DevelopmentGoal | None:
    if goal is not None and goal.person_id != rep.pk:
        raise DomainError(_("The development goal belongs to someone else."), field="goal")
    return goal


@transaction.atomic
def add_note(
    rep: User,
    *,
    acting_user: User,
    text: str,
    written_on: datetime.date | None = None,
    goal: DevelopmentGoal | None = None,
) -> CoachingNote:
    if not can_see_coaching(acting_user, rep):
        raise DomainError(_("Only the rep and the manager of their team write coaching notes."))
    today = timezone.localdate()
    written_on = written_on or today
    if written_on > today:
        raise DomainError(_("A note cannot be dated in the future."), field="written_on")
    note = CoachingNote.objects.create(
        rep=rep,
        author=acting_user,
        written_on=written_on,
        text=_text(text),
        goal=_goal(goal, rep),
    )
    # The audit row names the note, not its text: the text stays between rep and manager.
    record(note, "coaching.note_add", acting_user=acting_user, changes={"rep": rep.pk})
    return note


def _check_author(note: CoachingNote, user: User) -> None:
    if note.author_id != user.pk or not can_see_coaching(user, note.rep):
        raise PermissionDenied(_("Only the note's author may change or delete it."))


@transaction.atomic
def update_note(
    note: CoachingNote,
    *,
    acting_user: User,
    text: str | None = None,
    goal: DevelopmentGoal | None = None,
    clear_goal: bool = False,
) -> CoachingNote:
    _check_author(note, acting_user)
    if text is not None:
        note.text = _text(text)
    if clear_goal:
        note.goal = None
    elif goal is not None:
        note.goal = _goal(goal, note.rep)
    note.save()
    record(note, "coaching.note_update", acting_user=acting_user, changes={"rep": note.rep_id})
    return note


@transaction.atomic
def delete_note(note: CoachingNote, *, acting_user: User) -> None:
    _check_author(note, acting_user)
    record(note, "coaching.note_delete", acting_user=acting_user, changes={"rep": note.rep_id})
    note.delete()
