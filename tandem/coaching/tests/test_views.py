"""The coaching pages, per role, in English and German."""

import datetime

import pytest
from django.test import Client

from tandem.coaching.models import CoachingNote
from tandem.coaching.services import add_note
from tandem.hiring.services import create_onboarding_plan
from testsupport.builders import PASSWORD


def client_for(user, language="en") -> Client:
    client = Client(headers={"Accept-Language": language})
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_manager_sees_their_reps_and_writes_a_note(org, carl, goal):
    client = client_for(org.mona)
    overview = client.get("/coaching/").content.decode()
    assert f'data-rep="{org.alice.pk}"' in overview and f'data-rep="{carl.pk}"' in overview
    assert f'data-rep="{org.bob.pk}"' not in overview
    response = client.post(
        f"/coaching/{org.alice.pk}/", {"text": "Prepare the pricing talk.", "goal": goal.pk}
    )
    assert response.status_code == 302
    note = CoachingNote.objects.get()
    assert (note.author, note.goal) == (org.mona, goal)
    page = client.get(f"/coaching/{org.alice.pk}/").content.decode()
    assert "Prepare the pricing talk." in page and goal.title in page
    assert 'id="scorecard-table"' in page and 'id="coaching-data"' in page


def test_an_empty_note_is_refused_next_to_the_field(org):
    response = client_for(org.mona).post(f"/coaching/{org.alice.pk}/", {"text": "  "})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not CoachingNote.objects.exists()


def test_the_rep_sees_their_own_page_and_notes(org):
    add_note(org.alice, acting_user=org.mona, text="Strong follow-up this month.")
    client = client_for(org.alice)
    page = client.get(f"/coaching/{org.alice.pk}/").content.decode()
    assert "Strong follow-up this month." in page
    assert 'id="no-reps"' in client.get("/coaching/").content.decode()


@pytest.mark.parametrize("persona", ["bob", "sam", "kim", "hanna", "otto"])
def test_nobody_else_gets_the_page(org, persona):
    add_note(org.alice, acting_user=org.mona, text="Private")
    client = client_for(getattr(org, persona))
    assert client.get(f"/coaching/{org.alice.pk}/").status_code == 404
    assert client.post(f"/coaching/{org.alice.pk}/", {"text": "x"}).status_code == 404
    assert "Private" not in client.get("/coaching/").content.decode()


def test_only_the_author_deletes(org):
    note = add_note(org.alice, acting_user=org.mona, text="To be deleted")
    client_for(org.alice).post(f"/coaching/notes/{note.pk}/delete/")
    assert CoachingNote.objects.filter(pk=note.pk).exists()
    client_for(org.sam).post(f"/coaching/notes/{note.pk}/delete/")
    assert CoachingNote.objects.filter(pk=note.pk).exists()
    client_for(org.mona).post(f"/coaching/notes/{note.pk}/delete/")
    assert not CoachingNote.objects.filter(pk=note.pk).exists()


def test_a_bad_period_is_explained(org):
    page = client_for(org.mona).get("/coaching/?period=2026Q7").content.decode()
    assert 'id="period-error"' in page


def test_pages_in_german(org, carl, q1_deals):
    add_note(org.alice, acting_user=org.mona, text="Gut vorbereitet.")
    client = client_for(org.mona, "de")
    overview = client.get("/coaching/?period=2026Q1").content.decode()
    assert "Mein Team" in overview and "Abschlussquote" in overview
    page = client.get(f"/coaching/{org.alice.pk}/?period=2026Q1").content.decode()
    assert "Coaching-Notizen" in page and "Scorecard 2026Q1" in page
    assert "3.000" in page  # alice's won value in the German number format
    assert "deutlich unter dem Team" in page  # the flag on the average deal size


def test_a_new_member_finds_their_onboarding_plan_from_coaching(org):

    plan = create_onboarding_plan(
        org.alice, acting_user=org.mona, starts_on=datetime.date(2026, 1, 5)
    )
    page = client_for(org.alice).get("/coaching/").content.decode()
    assert f'href="/hiring/onboarding/{plan.pk}/"' in page
    assert 'id="my-onboarding"' not in client_for(org.mona).get("/coaching/").content.decode()
