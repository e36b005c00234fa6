"""No 5xx from input: what PostgreSQL refuses and SQLite stores (a NUL character, a number beyond
its column), far dates and oversized bodies are refused at every door with the field named, the
same on both databases (tandem/core/validation.py). Each case here was a 500 once."""

import datetime
import json

import pytest
from django.test import Client

from tandem.accounts.models import Account
from tandem.activities.models import Activity
from tandem.core.validation import check_date
from tandem.keyaccounts.models import Handover, HandoverStatus
from tandem.keyaccounts.services import propose_handover, submit_handover
from tandem.keyaccounts.tests.conftest import complete_texts
from testsupport.builders import make_account, make_activity, make_deal

NUL = "\u0000"


def send(client, method, url, data):
    return getattr(client, method)(url, data, content_type="application/json")


def problem(response) -> dict:
    assert response.status_code == 422, response.content
    (first, *_rest) = response.json()["detail"]
    return first


@pytest.mark.parametrize(
    "method, url, payload, field",
    [
        ("post", "/api/accounts", {"name": f"Acme{NUL}"}, "name"),
        ("post", "/api/accounts", {"name": "Acme", "city": f"Ulm{NUL}"}, "city"),
        (
            "post",
            "/api/contacts",
            {"account": 0, "first_name": NUL, "last_name": "X"},
            "first_name",
        ),
        ("post", "/api/deals", {"name": f"Big{NUL}", "account": 1}, "name"),
    ],
)
def test_a_nul_character_in_any_text_field_is_a_422_naming_it(as_user, method, url, payload, field):
    found = problem(send(as_user("alice"), method, url, payload))
    assert found["loc"] == ["body", field] and found["type"] == "control_character"
    assert "U+0000" in found["msg"]


def test_a_nul_character_in_an_update_an_activity_and_a_coaching_note_is_refused(org, as_user):
    account = make_account(org.alice)
    alice = as_user("alice")
    found = problem(send(alice, "patch", f"/api/accounts/{account.pk}", {"city": f"a{NUL}b"}))
    assert found["loc"] == ["body", "city"]
    activity = {
        "kind": "call",
        "subject": "Call",
        "occurred_at": "2026-03-02T09:30:00+01:00",
        "account": account.pk,
        "notes": f"first{NUL}",
    }
    assert problem(send(alice, "post", "/api/activities", activity))["loc"] == ["body", "notes"]
    note = send(as_user("mona"), "post", f"/api/coaching/reps/{org.alice.pk}/notes", {"text": NUL})
    assert problem(note)["loc"] == ["body", "text"]
    assert Account.objects.get(pk=account.pk).city == ""


def test_a_multi_line_text_keeps_tabs_and_line_breaks_but_a_name_is_one_line(org, as_user):
    account = make_account(org.alice)
    activity = {
        "kind": "call",
        "subject": "Call",
        "occurred_at": "2026-03-02T09:30:00+01:00",
        "account": account.pk,
        "notes": "first\tline\r\nsecond line",
    }
    created = send(as_user("alice"), "post", "/api/activities", activity)
    assert created.status_code == 201, created.content
    assert Activity.objects.get(pk=created.json()["id"]).notes == "first\tline\r\nsecond line"
    one_line = send(as_user("alice"), "post", "/api/accounts", {"name": "Acme\nGmbH"})
    assert problem(one_line)["loc"] == ["body", "name"]


def test_a_nul_character_in_a_query_parameter_of_the_api_is_a_422(as_user):
    found = problem(as_user("alice").get("/api/accounts", {"q": f"a{NUL}"}))
    assert found["loc"] == ["query", "q"]


def test_a_date_is_written_as_iso_8601_not_as_a_number_of_seconds(as_user):
    """Found by the fuzzer: pydantic read "-8e-153" as 1970-01-01 (seconds since 1970)."""
    found = problem(as_user("hanna").get("/api/forecast", {"as_of": "-8.303247109873467e-153"}))
    assert found["loc"] == ["query", "as_of"] and found["type"] == "date_parsing"
    assert found["msg"] == "Enter a valid date (YYYY-MM-DD)."
    # a date it accepts: the forecast of that day (200), or "not learned yet" (202)
    assert as_user("hanna").get("/api/forecast", {"as_of": "2026-03-31"}).status_code in {200, 202}


def test_a_parameter_of_one_value_given_twice_is_a_422(as_user):
    """Found by the fuzzer: ?series=a&series=b silently used the last one."""
    found = problem(as_user("alice").get("/api/products?series=a&series=b"))
    assert found["loc"] == ["query", "series"] and found["type"] == "repeated"


def test_a_number_beyond_64_bits_and_an_offset_beyond_any_list_are_refused(org, as_user):
    account = make_account(org.alice)
    alice = as_user("alice")
    deal = {"name": "Big", "account": account.pk, "value": 2**64}
    assert problem(send(alice, "post", "/api/deals", deal))["loc"][:2] == ["body", "value"]
    deal = {"name": "Big", "account": 2**64}
    assert problem(send(alice, "post", "/api/deals", deal))["loc"] == ["body", "account"]
    assert problem(alice.get("/api/deals", {"offset": 2**63}))["loc"] == ["query", "offset"]
    assert alice.get("/api/deals", {"offset": 10**9}).json()["items"] == []


@pytest.mark.parametrize("occurred_at", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00"])
def test_an_activity_at_a_far_date_is_refused(org, as_user, occurred_at):
    account = make_account(org.alice)
    activity = {"kind": "call", "subject": "Call", "occurred_at": occurred_at}
    found = problem(
        send(as_user("alice"), "post", "/api/activities", activity | {"account": account.pk})
    )
    assert found["loc"] == ["body", "occurred_at"] and "1900" in found["msg"]
    assert not Activity.objects.exists()


def test_the_years_allowed_hold_in_utc_and_in_the_given_offset():
    utc = datetime.UTC
    check_date(datetime.datetime(2199, 12, 31, 23, 59, tzinfo=utc))
    check_date(datetime.datetime(1900, 1, 1, 0, 0, tzinfo=utc))
    plus_14 = datetime.timezone(datetime.timedelta(hours=14))
    with pytest.raises(ValueError):
        check_date(datetime.datetime(1900, 1, 1, 0, 0, tzinfo=plus_14))  # 1899 in UTC


@pytest.mark.parametrize("as_of", ["0001-01-01", "9999-12-31"])
def test_a_forecast_at_a_far_date_is_a_422(as_user, as_of):
    found = problem(as_user("hanna").get("/api/forecast", {"as_of": as_of}))
    assert found["loc"] == ["query", "as_of"]


def test_a_what_if_of_an_absurd_amount_is_a_422(as_user):
    found = problem(send(as_user("alice"), "post", "/api/compensation/what-if", {"amount": 1e300}))
    assert found["loc"] == ["body", "amount"]


def test_a_control_character_in_a_web_query_string_is_a_400_that_says_which(org, client):
    client.force_login(org.mona)
    for url, parameter in [("/sales/team-names/", "team_name"), ("/deals/account-options/", "q")]:
        response = client.get(url, {parameter: f"x{NUL}"})
        page = response.content.decode()
        assert response.status_code == 400, url
        assert parameter in page and "U+0000" in page and 'data-error-status="400"' in page


def test_a_form_refuses_a_control_character_with_a_field_error(org, client):
    account = make_account(org.alice)
    client.force_login(org.alice)
    response = client.post(
        f"/accounts/{account.pk}/contacts/new/",
        {"account": account.pk, "first_name": "Ann\u0007", "last_name": "Lee"},
    )
    assert response.status_code == 200
    assert "U+0007" in str(response.context["form"].errors["first_name"])


def test_a_handover_rejected_with_a_control_character_says_so_and_changes_nothing(org, client):
    account = make_account(org.alice, is_strategic=True)
    handover = propose_handover(account, org.kim, acting_user=org.alice)
    submit_handover(handover, acting_user=org.alice, **complete_texts())
    client.force_login(org.kim)
    url = f"/key-accounts/handovers/{handover.pk}/reject/"
    response = client.post(url, {"reason": f"No{NUL}"}, follow=True)
    assert "U+0000" in response.content.decode()
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.SUBMITTED


def test_an_oversized_body_is_a_413_with_a_message(org, as_user, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    big = json.dumps({"name": "x" * (1024 * 1024)})
    response = as_user("alice").post("/api/accounts", big, content_type="application/json")
    assert response.status_code == 413 and "at most 1 MB" in response.json()["detail"]
    client.force_login(org.alice)
    page = client.post("/activities/new/", {"subject": "x" * (1024 * 1024)})
    assert page.status_code == 413 and "at most 1 MB" in page.content.decode()
    assert 'data-action="logout"' in page.content.decode()  # the ordinary layout


def test_a_far_date_stored_before_the_rules_breaks_no_page(org):
    """Rows stored before input was checked still show: the late-night UTC time of year 9999 is
    year 10000 in Berlin, which no Python date holds."""
    account = make_account(org.alice)
    make_deal(org.alice, account)
    far = datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=datetime.UTC)
    activity = make_activity(account, org.alice, occurred_at=far)
    deal = make_deal(org.alice, account)
    activity.deal = deal
    activity.save()
    for who in (org.alice, org.mona, org.hanna):
        client = Client()
        client.force_login(who)
        for url in ("/", "/activities/", f"/accounts/{account.pk}/", f"/deals/{deal.pk}/"):
            assert client.get(url).status_code == 200, (who, url)
    client = Client()
    client.force_login(org.alice)
    assert client.get(f"/activities/{activity.pk}/edit/").status_code == 200
