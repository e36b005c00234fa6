"""Coaching notes are seen by the rep and the manager of their team only."""

import pytest
from django.http import Http404

from tandem.coaching.selectors import coached_reps, get_rep_for, visible_notes
from tandem.coaching.services import add_note


@pytest.fixture
def notes(org):
    return {
        "alice": add_note(org.alice, acting_user=org.mona, text="About alice"),
        "bob": add_note(org.bob, acting_user=org.sam, text="About bob"),
    }


def test_each_sees_exactly_what_the_rule_allows(org, notes):
    expected = {
        "alice": {"alice"},
        "bob": {"bob"},
        "mona": {"alice"},
        "sam": {"bob"},
        "kim": set(),
        "hanna": set(),  # the issue: "the rep and their manager only"
        "otto": set(),
    }
    by_pk = {note.pk: name for name, note in notes.items()}
    for user in org.everyone:
        seen = {by_pk[pk] for pk in visible_notes(user).values_list("pk", flat=True)}
        assert seen == expected[user.username], user.username


def test_rep_pages_open_to_the_rep_and_their_manager_only(org):
    assert get_rep_for(org.alice, org.alice.pk) == org.alice
    assert get_rep_for(org.mona, org.alice.pk) == org.alice
    for user in (org.bob, org.sam, org.kim, org.hanna, org.otto):
        with pytest.raises(Http404):
            get_rep_for(user, org.alice.pk)
    with pytest.raises(Http404):
        get_rep_for(org.mona, 999_999)


def test_a_manager_coaches_their_team_members_not_themself(org, carl):
    assert set(coached_reps(org.mona)) == {org.alice, carl}
    assert set(coached_reps(org.sam)) == {org.bob}
    assert not coached_reps(org.hanna).exists()
    assert not coached_reps(org.alice).exists()
