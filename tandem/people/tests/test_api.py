import pytest
from django.test import Client

from tandem.people.models import Assessment, RoleFitResult
from tandem.people.tests.conftest import KAM_ANSWERS, MANAGER_ANSWERS, expected_points, shipped
from testsupport.api import token_client

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_questionnaire():
    response = Client().get("/api/people/role-fit/questionnaire")
    assert response.status_code == 200
    data = response.json()
    assert [q["code"] for q in data["questions"]] == [q[0] for q in shipped().QUESTIONS]


def test_the_questionnaire_in_german():
    data = (
        Client(headers={"Accept-Language": "de"}).get("/api/people/role-fit/questionnaire").json()
    )
    assert data["questions"][0]["text"] == shipped().QUESTIONS[0][3]


def test_anyone_takes_the_role_fit_and_reads_it_again():
    client = Client()
    response = client.post(
        "/api/people/role-fit", {"answers": MANAGER_ANSWERS}, content_type="application/json"
    )
    assert response.status_code == 201
    data = response.json()
    assert data["leaning"] == "sales_manager"
    assert data["clarity"] == "clearly"
    assert (data["kam_points"], data["sales_manager_points"]) == expected_points(MANAGER_ANSWERS)
    assert RoleFitResult.objects.get().user is None
    again = client.get(f"/api/people/role-fit/{data['token']}")
    assert again.status_code == 200
    assert again.json() == data


def test_a_missing_answer_is_a_422_on_its_question():
    answers = dict(KAM_ANSWERS)
    del answers["career_goal"]
    response = Client().post(
        "/api/people/role-fit", {"answers": answers}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "career_goal"]


def test_an_unknown_result_is_404():
    response = Client().get("/api/people/role-fit/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404


def test_competency_models_and_ladders_are_open():
    models = Client().get("/api/people/competency-models").json()
    assert {m["code"] for m in models} == {p[0] for p in shipped().PROFILES}
    ladders = Client().get("/api/people/career-ladders").json()
    assert {ladder["code"] for ladder in ladders} == {entry[0] for entry in shipped().LADDERS}


def test_assessments_need_a_token(org):
    response = Client().get(f"/api/people/people/{org.alice.pk}/competencies")
    assert response.status_code == 401


def test_a_manager_rates_their_rep_through_the_api(org):
    levels = next(p[5] for p in shipped().PROFILES if p[0] == "rep")
    client = token_client(org.mona)
    response = client.post(
        f"/api/people/people/{org.alice.pk}/assessments",
        {"kind": "manager", "levels": dict.fromkeys(levels, 2)},
        content_type="application/json",
    )
    assert response.status_code == 201
    gaps = client.get(f"/api/people/people/{org.alice.pk}/competencies").json()
    assert {g["code"]: g["gap"] for g in gaps} == {
        code: max(level - 2, 0) for code, level in levels.items()
    }


def test_another_team_cannot_read_or_rate(org):
    client = token_client(org.bob)
    assert client.get(f"/api/people/people/{org.alice.pk}/competencies").status_code == 404
    response = client.post(
        f"/api/people/people/{org.alice.pk}/assessments",
        {"kind": "manager", "levels": {}},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Assessment.objects.exists()


def test_a_rep_cannot_write_the_managers_assessment_of_themself(org):
    levels = next(p[5] for p in shipped().PROFILES if p[0] == "rep")
    response = token_client(org.alice).post(
        f"/api/people/people/{org.alice.pk}/assessments",
        {"kind": "manager", "levels": dict.fromkeys(levels, 5)},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_with_a_token_the_result_is_kept_as_the_callers(org):
    response = token_client(org.alice).post(
        "/api/people/role-fit", {"answers": KAM_ANSWERS}, content_type="application/json"
    )
    assert response.status_code == 201
    assert RoleFitResult.objects.get().user == org.alice


def test_a_wrong_token_is_refused(db):
    client = Client(headers={"Authorization": "Bearer tdm_wrong"})
    response = client.post(
        "/api/people/role-fit", {"answers": KAM_ANSWERS}, content_type="application/json"
    )
    assert response.status_code == 401
    assert not RoleFitResult.objects.exists()
