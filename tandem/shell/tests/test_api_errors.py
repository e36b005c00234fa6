"""422 with one message per field, in the same shape for pydantic, the model and the services,
translated by Accept-Language."""

import pytest

from tandem.pipeline.models import Deal
from testsupport.builders import make_account, make_deal


def _problems(response) -> dict:
    assert response.status_code == 422, response.content
    return {tuple(problem["loc"]): problem["msg"] for problem in response.json()["detail"]}


def test_a_negative_deal_value_is_422_on_value(org, as_user):
    response = as_user("alice").post(
        "/api/deals", {"name": "Bad", "value": "-5"}, content_type="application/json"
    )
    assert _problems(response) == {("body", "value"): "Must be at least 0."}
    assert not Deal.objects.exists()


def test_a_bad_date_is_422_on_that_field(org, as_user):
    response = as_user("alice").post(
        "/api/deals",
        {"name": "Bad", "expected_close_on": "2026-02-30"},
        content_type="application/json",
    )
    assert _problems(response) == {
        ("body", "expected_close_on"): "Enter a valid date (YYYY-MM-DD)."
    }


def test_an_unknown_stage_is_422_on_stage(org, as_user):
    deal = make_deal(org.alice, make_account(org.alice))
    response = as_user("alice").patch(
        f"/api/deals/{deal.pk}", {"stage": "celebrating"}, content_type="application/json"
    )
    assert _problems(response) == {("body", "stage"): "There is no stage with this code."}


def test_an_invisible_account_is_422_on_account(org, as_user):
    invisible = make_account(org.bob)
    response = as_user("alice").post(
        "/api/deals", {"name": "Sneaky", "account": invisible.pk}, content_type="application/json"
    )
    assert _problems(response) == {
        ("body", "account"): "There is no account with this id that you can see."
    }
    assert not Deal.objects.exists()


def test_several_problems_are_reported_together(org, as_user):
    response = as_user("alice").post(
        "/api/deals",
        {"value": "-1", "created_on": "yesterday", "deal_type": "gift"},
        content_type="application/json",
    )
    problems = _problems(response)
    assert set(problems) == {
        ("body", "name"),
        ("body", "value"),
        ("body", "created_on"),
        ("body", "deal_type"),
    }
    assert problems[("body", "name")] == "This field is required."
    assert problems[("body", "deal_type")].startswith("Choose one of: ")


def test_model_validation_comes_out_in_the_same_shape(org, as_user):
    account = make_account(org.alice)
    response = as_user("alice").post(
        "/api/contacts",
        {
            "account": account.pk,
            "first_name": "Eva",
            "last_name": "Berg",
            "email": "not-an-address",
            "hierarchy_level": "director",
            "buying_role": "champion",
        },
        content_type="application/json",
    )
    problems = _problems(response)
    assert list(problems) == [("body", "email")]


def test_a_business_rule_comes_out_in_the_same_shape(org, as_user):
    deal = make_deal(org.alice, make_account(org.alice), stage_code="negotiation")
    response = as_user("alice").patch(
        f"/api/deals/{deal.pk}", {"stage": "lost"}, content_type="application/json"
    )
    problems = _problems(response)
    assert list(problems) == [("body", "lost_reason")]


def test_malformed_json_is_422_on_the_body(org, as_user):
    response = as_user("alice").post("/api/deals", "{not json", content_type="application/json")
    assert _problems(response) == {("body",): "The request body is not valid JSON."}
    german = as_user("alice", language="de").post(
        "/api/deals", "{not json", content_type="application/json"
    )
    assert _problems(german) == {("body",): "Der Inhalt der Anfrage ist kein gültiges JSON."}


@pytest.mark.parametrize(
    ("body", "field", "german"),
    [
        ({"name": "X", "value": "-5"}, "value", "Muss mindestens 0 sein."),
        (
            {"name": "X", "expected_close_on": "2026-13-01"},
            "expected_close_on",
            "Geben Sie ein gültiges Datum ein (JJJJ-MM-TT).",
        ),
        ({"name": "X", "stage": "nowhere"}, "stage", "Es gibt keine Phase mit diesem Code."),
    ],
)
def test_messages_are_german_for_a_german_caller(org, as_user, body, field, german):
    response = as_user("alice", language="de").post(
        "/api/deals", body, content_type="application/json"
    )
    assert _problems(response) == {("body", field): german}


def test_german_model_messages_come_from_django(org, as_user):
    account = make_account(org.alice)
    response = as_user("alice", language="de").post(
        "/api/contacts",
        {
            "account": account.pk,
            "first_name": "Eva",
            "last_name": "Berg",
            "email": "kaputt",
            "hierarchy_level": "director",
            "buying_role": "champion",
        },
        content_type="application/json",
    )
    assert _problems(response) == {("body", "email"): "Bitte gültige E-Mail-Adresse eingeben."}


def test_not_found_and_unauthorized_are_translated(org, as_user):
    client = as_user("alice", language="de")
    assert client.get("/api/deals/999999").json() == {"detail": "Nicht gefunden."}
