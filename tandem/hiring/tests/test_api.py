"""The hiring and onboarding endpoints."""

import datetime
from statistics import mean

import pytest

from tandem.hiring.models import InterviewScore
from tandem.users.models import Role
from testsupport.api import token_client
from testsupport.builders import make_user


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_a_position_from_opening_to_hiring(org, api):
    created = post(
        api("mona"),
        "/api/hiring/positions",
        {
            "title": "Account manager",
            "team": org.north.pk,
            "role": "kam",
            "level": "account_manager",
        },
    )
    assert created.status_code == 201, created.content
    position = created.json()
    assert (position["role"], position["level"], position["hiring_manager"]) == (
        "kam",
        "account_manager",
        org.mona.pk,
    )
    url = f"/api/hiring/positions/{position['id']}"
    clara = post(api("mona"), f"{url}/candidates", {"name": "Clara"}).json()
    dirk = post(api("mona"), f"{url}/candidates", {"name": "Dirk"}).json()
    scores = {
        ("mona", clara["id"]): {"negotiation": 4, "relationships": 2},
        ("hanna", clara["id"]): {"negotiation": 5},
        ("mona", dirk["id"]): {"negotiation": 2},
    }
    for (who, candidate), given in scores.items():
        response = post(
            api(who),
            f"/api/hiring/candidates/{candidate}/scores",
            {"scores": [{"competency": c, "score": s} for c, s in given.items()]},
        )
        assert response.status_code == 200, response.content
    comparison = api("mona").get(f"{url}/comparison").json()
    by_name = {c["name"]: c for c in comparison["candidates"]}
    clara_negotiation = next(
        c for c in by_name["Clara"]["competencies"] if c["competency"] == "negotiation"
    )
    stored = InterviewScore.objects.filter(candidate_id=clara["id"], competency__code="negotiation")
    assert clara_negotiation["average"] == pytest.approx(mean(s.score for s in stored))
    assert clara_negotiation["interviewers"] == 2
    assert clara_negotiation["gap"] == pytest.approx(
        clara_negotiation["average"] - clara_negotiation["expected"]
    )
    hired = post(api("mona"), f"/api/hiring/candidates/{clara['id']}/status", {"status": "hired"})
    assert hired.json()["status"] == "hired"
    assert api("mona").get(url).json()["status"] == "filled"
    refused = post(api("mona"), f"{url}/candidates", {"name": "Late"})
    assert refused.status_code == 422


def test_bad_scores_are_refused_with_the_field(org, api, kam_position):
    candidate = post(
        api("mona"), f"/api/hiring/positions/{kam_position.pk}/candidates", {"name": "Clara"}
    ).json()
    url = f"/api/hiring/candidates/{candidate['id']}/scores"
    out_of_range = post(api("mona"), url, {"scores": [{"competency": "negotiation", "score": 7}]})
    assert out_of_range.status_code == 422
    assert out_of_range.json()["detail"][0]["loc"] == ["body", "score"]
    other_role = post(api("mona"), url, {"scores": [{"competency": "coaching", "score": 3}]})
    assert other_role.status_code == 422
    assert "is not a competency of the role" in other_role.json()["detail"][0]["msg"]
    german = post(api("mona", "de"), url, {"scores": [{"competency": "negotiation", "score": 0}]})
    assert german.json()["detail"][0]["msg"] == "Eine Bewertung ist eine ganze Zahl von 1 bis 5."


def test_a_level_of_another_role_and_a_foreign_team_are_refused(org, api):
    wrong_level = post(
        api("mona"),
        "/api/hiring/positions",
        {"title": "Rep", "team": org.north.pk, "role": "rep", "level": "account_manager"},
    )
    assert wrong_level.status_code == 422
    assert wrong_level.json()["detail"][0]["loc"] == ["body", "step"]
    foreign = post(
        api("mona"), "/api/hiring/positions", {"title": "Rep", "team": org.south.pk, "role": "rep"}
    )
    assert foreign.status_code == 422
    assert foreign.json()["detail"][0]["loc"] == ["body", "team"]


@pytest.mark.parametrize("persona", ["alice", "kim"])
def test_reps_and_kams_are_forbidden(org, api, kam_position, persona):
    client = api(persona)
    assert client.get("/api/hiring/positions").status_code == 403
    assert client.get(f"/api/hiring/positions/{kam_position.pk}/candidates").status_code == 403
    assert (
        post(
            client, "/api/hiring/positions", {"title": "x", "team": org.north.pk, "role": "rep"}
        ).status_code
        == 403
    )


def test_positions_are_scoped_to_the_managers_teams(org, api, kam_position):
    def ids(persona: str) -> list[int]:
        page = api(persona).get("/api/hiring/positions").json()
        assert page["count"] == len(page["items"])
        return [p["id"] for p in page["items"]]

    assert ids("mona") == [kam_position.pk]
    assert ids("sam") == []
    assert api("sam").get(f"/api/hiring/positions/{kam_position.pk}").status_code == 404
    assert ids("hanna") == [kam_position.pk]


def test_onboarding_plan_and_progress(org, api):
    carl = make_user("carl", Role.SALES_REP, org.north)
    created = post(
        api("mona"), "/api/hiring/onboarding", {"member": carl.pk, "starts_on": "2020-01-06"}
    )
    assert created.status_code == 201, created.content
    plan = created.json()
    steps = plan["steps"]
    assert plan["steps_total"] == len(steps) > 0
    assert plan["steps_overdue"] == len(steps)  # all due in 2020
    owners = {step["owner"] for step in steps}
    assert owners <= {carl.pk, org.mona.pk}
    again = post(api("mona"), "/api/hiring/onboarding", {"member": carl.pk})
    assert again.status_code == 422
    carl_client = token_client(carl)
    ticked = post(
        carl_client, f"/api/hiring/onboarding/{plan['id']}/steps/{steps[0]['id']}/done", {}
    )
    assert ticked.status_code == 200 and ticked.json()["done_on"] is not None
    listed = api("mona").get("/api/hiring/onboarding").json()
    (row,) = [p for p in listed if p["id"] == plan["id"]]
    assert row["steps_done"] == 1
    assert row["percent_done"] == pytest.approx(round(100 / len(steps), 1))
    assert api("bob").get(f"/api/hiring/onboarding/{plan['id']}").status_code == 404
    assert api("sam").get("/api/hiring/onboarding").json() == []
    early = post(
        api("mona"),
        f"/api/hiring/onboarding/{plan['id']}/steps",
        {"title": "Too early", "owner": carl.pk, "due_on": "2019-12-31"},
    )
    assert early.status_code == 422
    added = post(
        api("mona"),
        f"/api/hiring/onboarding/{plan['id']}/steps",
        {"title": "Meet the CFO", "owner": org.mona.pk, "due_on": str(datetime.date(2020, 3, 1))},
    )
    assert added.status_code == 201
    by_member = post(
        carl_client,
        f"/api/hiring/onboarding/{plan['id']}/steps",
        {"title": "Mine", "owner": carl.pk, "due_on": "2020-03-01"},
    )
    assert by_member.status_code == 422
