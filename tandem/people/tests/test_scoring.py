from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from tandem.core.errors import DomainError
from tandem.people.models import AnswerOption, Clarity, FitRole, Questionnaire, RoleFitResult
from tandem.people.selectors import current_questionnaire
from tandem.people.services import (
    explain,
    new_questionnaire_version,
    publish_questionnaire,
    score,
    take_role_fit,
)
from tandem.people.tests.conftest import (
    KAM_ANSWERS,
    MANAGER_ANSWERS,
    MIXED_ANSWERS,
    expected_points,
    shipped,
)

pytestmark = pytest.mark.django_db


def lean_of(kam: int, manager: int) -> float:
    return (kam - manager) / (kam + manager)


def test_answers_pointing_to_kam_give_kam_clearly():
    result = take_role_fit(KAM_ANSWERS, acting_user=None)
    kam, manager = expected_points(KAM_ANSWERS)
    assert (result.kam_points, result.sales_manager_points) == (kam, manager)
    assert lean_of(kam, manager) >= 0.5
    assert result.leaning == FitRole.KAM
    assert result.clarity == Clarity.CLEARLY
    assert "clearly" in explain(result).headline
    assert "Key Account Manager" in explain(result).headline


def test_answers_pointing_to_sales_manager_give_sales_manager_clearly():
    result = take_role_fit(MANAGER_ANSWERS, acting_user=None)
    assert (result.kam_points, result.sales_manager_points) == expected_points(MANAGER_ANSWERS)
    assert result.leaning == FitRole.SALES_MANAGER
    assert result.clarity == Clarity.CLEARLY


def test_mixed_answers_are_balanced():
    result = take_role_fit(MIXED_ANSWERS, acting_user=None)
    kam, manager = expected_points(MIXED_ANSWERS)
    assert (result.kam_points, result.sales_manager_points) == (kam, manager)
    assert abs(lean_of(kam, manager)) < 0.2
    assert result.clarity == Clarity.BALANCED
    explanation = explain(result)
    assert explanation.roles == [FitRole.KAM, FitRole.SALES_MANAGER]
    assert set(explanation.paths) == {FitRole.KAM, FitRole.SALES_MANAGER}


def test_a_slight_lean_is_rather():
    answers = dict(MIXED_ANSWERS, responsibility="own", patience="patient")
    result = take_role_fit(answers, acting_user=None)
    kam, manager = expected_points(answers)
    assert 0.2 <= lean_of(kam, manager) < 0.5
    assert (result.leaning, result.clarity) == (FitRole.KAM, Clarity.RATHER)
    assert "rather" in explain(result).headline


@pytest.mark.parametrize(
    ("kam", "manager", "clarity", "leaning"),
    [
        (15, 5, Clarity.CLEARLY, FitRole.KAM),  # lean 0.50
        (6, 4, Clarity.RATHER, FitRole.KAM),  # lean 0.20
        (5, 7, Clarity.BALANCED, FitRole.SALES_MANAGER),  # lean −0.17
        (4, 4, Clarity.BALANCED, ""),
        (0, 0, Clarity.BALANCED, ""),
    ],
)
def test_thresholds_of_the_scoring_model(kam, manager, clarity, leaning):
    result = score(current_questionnaire(), kam, manager)
    assert (result.clarity, result.leaning) == (clarity, leaning)


def test_every_answer_appears_in_the_explanation_with_its_points_and_reason():
    result = take_role_fit(MIXED_ANSWERS, acting_user=None)
    explanation = explain(result)
    given = {
        (question, option)
        for question, chosen in MIXED_ANSWERS.items()
        for option in ([chosen] if isinstance(chosen, str) else chosen)
    }
    shown = {(c.question.code, c.option.code) for c in explanation.contributions}
    assert shown == given
    reasons = {
        (code, option[0]): (option[3], option[4], option[5])
        for code, _kind, _t, _td, options in shipped().QUESTIONS
        for option in options
    }
    for c in explanation.contributions:
        kam, manager, reason = reasons[(c.question.code, c.option.code)]
        assert (c.option.kam_points, c.option.sales_manager_points) == (kam, manager)
        assert c.option.reason_label == reason
    assert sum(c.option.kam_points for c in explanation.contributions) == result.kam_points


def test_the_wording_says_no_role_is_better():
    explanation = explain(take_role_fit(KAM_ANSWERS, acting_user=None))
    assert "Neither role is better" in explanation.no_better_role
    with translation.override("de"):
        german = explain(take_role_fit(KAM_ANSWERS, acting_user=None))
        assert "Keine der beiden Rollen ist besser" in german.no_better_role
        assert german.contributions[0].option.reason_label == shipped().QUESTIONS[0][4][0][6]


def test_a_result_stays_explainable_after_a_new_version_is_published(org):
    old_result = take_role_fit(KAM_ANSWERS, acting_user=None)
    before = explain(old_result)
    v1 = old_result.questionnaire

    draft = new_questionnaire_version(v1, acting_user=org.otto)
    changed = AnswerOption.objects.get(
        question__questionnaire=draft, question__code="work_style", code="alone_deep"
    )
    changed.kam_points, changed.reason = 0, "Changed."  # as the admin edits a draft
    changed.save()
    publish_questionnaire(draft, acting_user=org.otto)
    assert current_questionnaire() == draft

    old_result = RoleFitResult.objects.get(pk=old_result.pk)
    after = explain(old_result)
    assert old_result.questionnaire == v1
    assert after.headline == before.headline
    assert [(c.option.pk, c.option.kam_points, c.option.reason) for c in after.contributions] == [
        (c.option.pk, c.option.kam_points, c.option.reason) for c in before.contributions
    ]
    new_result = take_role_fit(KAM_ANSWERS, acting_user=None)
    assert new_result.questionnaire == draft
    assert new_result.kam_points == old_result.kam_points - 3


def test_an_unpublished_version_cannot_be_taken(org):
    draft = new_questionnaire_version(Questionnaire.objects.get(version=1), acting_user=org.otto)
    with pytest.raises(DomainError):
        take_role_fit(KAM_ANSWERS, acting_user=None, questionnaire=draft)


def test_a_missing_answer_is_refused_by_question():
    answers = dict(KAM_ANSWERS)
    del answers["patience"]
    with pytest.raises(DomainError) as caught:
        take_role_fit(answers, acting_user=None)
    assert caught.value.field == "patience"
    assert not RoleFitResult.objects.exists()


def test_an_unknown_answer_is_refused():
    with pytest.raises(DomainError) as caught:
        take_role_fit(dict(KAM_ANSWERS, horizon="forever"), acting_user=None)
    assert caught.value.field == "horizon"


def test_several_answers_to_a_one_answer_question_are_refused():
    with pytest.raises(DomainError):
        take_role_fit(dict(KAM_ANSWERS, horizon=["long_term", "new_business"]), acting_user=None)


def test_a_signed_in_user_keeps_their_result(org):
    result = take_role_fit(KAM_ANSWERS, acting_user=org.alice)
    assert result.user == org.alice
    take_role_fit(KAM_ANSWERS, acting_user=org.bob)
    client = Client()
    client.force_login(org.alice)
    page = client.get("/people/role-fit/").content.decode()
    assert page.count("data-result=") == 1
    assert f'data-result="{result.token}"' in page


def test_the_web_form_stores_and_shows_the_result(db):
    client = Client()
    data = {code: answer for code, answer in KAM_ANSWERS.items()}
    response = client.post("/people/role-fit/", data)
    result = RoleFitResult.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/people/role-fit/{result.token}/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-clarity="clearly"' in page
    assert page.count("data-contribution=") == result.options.count()


def test_the_web_form_shows_what_is_missing(db):
    answers = dict(KAM_ANSWERS)
    del answers["horizon"]
    response = Client().post("/people/role-fit/", answers)
    assert response.status_code == 200
    assert 'data-question="horizon"' in response.content.decode()
    assert response.context["form"].errors["horizon"]
    assert not RoleFitResult.objects.exists()


def test_thresholds_come_from_the_version():
    questionnaire = current_questionnaire()
    assert questionnaire.clearly_from == Decimal("0.50")
    assert questionnaire.rather_from == Decimal("0.20")
