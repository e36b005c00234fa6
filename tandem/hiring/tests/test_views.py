"""The hiring and onboarding pages, per role, in English and German."""

import datetime

import pytest
from django.test import Client

from tandem.hiring.models import Candidate, InterviewScore, OnboardingPlan, Position
from tandem.hiring.services import (
    add_candidate,
    create_onboarding_plan,
    record_scores,
    set_position_status,
)
from tandem.people.models import CareerStep, RoleProfile
from tandem.users.models import Role
from testsupport.builders import PASSWORD, make_user


def client_for(user, language="en") -> Client:
    client = Client(headers={"Accept-Language": language})
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("mona", True), ("hanna", True), ("otto", True), ("sam", False)],
)
def test_positions_on_the_overview(org, kam_position, persona, sees):
    page = client_for(getattr(org, persona)).get("/hiring/")
    assert page.status_code == 200
    assert (f'data-position="{kam_position.pk}"' in page.content.decode()) is sees


@pytest.mark.parametrize("persona", ["alice", "bob", "kim"])
def test_reps_and_kams_see_no_positions_or_candidates(org, kam_position, persona):
    candidate = add_candidate(kam_position, acting_user=org.mona, name="Clara Weiss")
    client = client_for(getattr(org, persona))
    page = client.get("/hiring/")
    assert page.status_code == 200
    assert "data-position" not in page.content.decode()
    assert 'id="no-hiring"' in page.content.decode()
    for url in (
        f"/hiring/positions/{kam_position.pk}/",
        f"/hiring/candidates/{candidate.pk}/",
        "/hiring/positions/new/",
    ):
        assert client.get(url).status_code == 403
    assert client.post(f"/hiring/candidates/{candidate.pk}/", {}).status_code == 403


def test_another_manager_gets_not_found(org, kam_position):
    candidate = add_candidate(kam_position, acting_user=org.mona, name="Clara Weiss")
    client = client_for(org.sam)
    assert client.get(f"/hiring/positions/{kam_position.pk}/").status_code == 404
    assert client.get(f"/hiring/candidates/{candidate.pk}/").status_code == 404


def test_open_a_position_add_and_score_a_candidate(org):
    client = client_for(org.mona)
    profile = RoleProfile.objects.get(code="kam")
    step = CareerStep.objects.get(ladder__code="kam", code="account_manager")
    response = client.post(
        "/hiring/positions/new/",
        {"title": "Account manager", "team": org.north.pk, "profile": profile.pk, "step": step.pk},
    )
    position = Position.objects.get()
    assert response.status_code == 302 and response.url == f"/hiring/positions/{position.pk}/"
    response = client.post(f"/hiring/positions/{position.pk}/", {"name": "Clara Weiss"})
    candidate = Candidate.objects.get()
    assert response.url == f"/hiring/candidates/{candidate.pk}/"
    form = client.get(response.url).content.decode()
    assert 'name="score_negotiation"' in form and 'name="score_leadership"' not in form
    response = client.post(
        f"/hiring/candidates/{candidate.pk}/",
        {"score_negotiation": "4", "note_negotiation": "Calm", "score_relationships": "3"},
    )
    assert response.status_code == 302
    assert {(s.competency.code, s.score) for s in InterviewScore.objects.all()} == {
        ("negotiation", 4),
        ("relationships", 3),
    }
    page = client.get(f"/hiring/positions/{position.pk}/").content.decode()
    assert 'data-competency="negotiation"' in page and 'data-average="4.0"' in page
    assert 'id="hiring-data"' in page and "radar-chart" in page


def test_a_step_of_another_role_shows_the_error_next_to_the_field(org):
    client = client_for(org.mona)
    response = client.post(
        "/hiring/positions/new/",
        {
            "title": "Rep",
            "team": org.north.pk,
            "profile": RoleProfile.objects.get(code="rep").pk,
            "step": CareerStep.objects.get(ladder__code="kam", code="account_manager").pk,
        },
    )
    assert response.status_code == 200
    assert "is not a level of the role" in response.content.decode()
    assert not Position.objects.exists()


def test_a_closed_position_takes_no_candidates(org, kam_position):
    set_position_status(kam_position, "closed", acting_user=org.mona)
    client = client_for(org.mona)
    page = client.get(f"/hiring/positions/{kam_position.pk}/").content.decode()
    assert 'id="candidate-form"' not in page
    response = client.post(f"/hiring/positions/{kam_position.pk}/", {"name": "Late"})
    assert response.status_code == 200
    assert "nothing can be added" in response.content.decode()
    assert not Candidate.objects.exists()


def test_comparison_page_in_german(org, kam_position):
    candidate = add_candidate(kam_position, acting_user=org.mona, name="Clara Weiss")
    record_scores(candidate, [{"competency": "negotiation", "score": 4}], acting_user=org.mona)
    page = client_for(org.mona, "de").get(f"/hiring/positions/{kam_position.pk}/")
    text = page.content.decode()
    assert "Kandidaten im Vergleich" in text
    assert "Verhandeln auf höchster Ebene" in text  # the competency's German name
    assert "4,0" in text  # German number format
    assert (
        "Einstellung und Onboarding" in client_for(org.mona, "de").get("/hiring/").content.decode()
    )


def test_onboarding_progress_for_the_manager_and_the_member(org):
    carl = make_user("carl", Role.SALES_REP, org.north)
    client = client_for(org.mona)
    response = client.post("/hiring/onboarding/", {"member": carl.pk, "starts_on": "2020-01-06"})
    plan = OnboardingPlan.objects.get()
    assert response.url == f"/hiring/onboarding/{plan.pk}/"
    steps = list(plan.steps.order_by("due_on", "position"))
    overview = client.get("/hiring/").content.decode()
    assert f'data-plan="{plan.pk}"' in overview
    assert f'data-overdue="{len(steps)}"' in overview  # all due in 2020, none done
    member = client_for(carl)
    assert "own-plan" in member.get("/hiring/").content.decode()
    first = steps[0]
    member.post(f"/hiring/onboarding/{plan.pk}/steps/{first.pk}/done/", {"done": "1"})
    first.refresh_from_db()
    assert first.done_on is not None
    page = client.get(f"/hiring/onboarding/{plan.pk}/").content.decode()
    assert f'data-overdue="{len(steps) - 1}"' in client.get("/hiring/").content.decode()
    assert 'data-done="1"' in page
    # the member cannot add steps; others do not see the plan at all
    assert (
        member.post(
            f"/hiring/onboarding/{plan.pk}/",
            {"title": "x", "owner": carl.pk, "due_on": "2020-02-01"},
        ).status_code
        == 403
    )
    for other in (org.bob, org.sam, org.kim):
        assert client_for(other).get(f"/hiring/onboarding/{plan.pk}/").status_code == 404


def test_onboarding_plan_in_german(org):
    carl = make_user("carl", Role.SALES_REP, org.north)
    plan = create_onboarding_plan(carl, acting_user=org.mona, starts_on=datetime.date(2026, 1, 5))
    page = client_for(org.mona, "de").get(f"/hiring/onboarding/{plan.pk}/").content.decode()
    assert "Produktschulung" in page  # the template's German title
    assert "Überfällige Schritte" in page


def test_hiring_from_the_candidate_page_fills_the_position(org, kam_position):
    candidate = add_candidate(kam_position, acting_user=org.mona, name="Clara Weiss")
    client = client_for(org.mona)
    page = client.get(f"/hiring/candidates/{candidate.pk}/").content.decode()
    assert 'data-action="status-hired"' in page and "data-confirm" in page
    client.post(f"/hiring/candidates/{candidate.pk}/status/", {"status": "hired"})
    kam_position.refresh_from_db()
    assert kam_position.status == "filled"
    page = client.get(f"/hiring/candidates/{candidate.pk}/").content.decode()
    assert 'data-action="status-' not in page and 'id="scores-form"' not in page
    refused = client.post(f"/hiring/candidates/{candidate.pk}/status/", {"status": "active"})
    assert "nothing can be added" in client.get(refused.url).content.decode()
