"""Activities: list with filters and export, create and edit through the services."""

import csv
import datetime
import io

import pytest

from tandem.activities.models import Activity, ActivityKind
from testsupport.builders import make_account, make_activity, make_contact, make_deal


@pytest.fixture
def setup(org):
    alices = make_account(org.alice, "Alice GmbH")
    other = make_account(org.alice, "Alice Zwei")
    bobs = make_account(org.bob, "Bob AG")
    return {
        "org": org,
        "account": alices,
        "other": other,
        "bobs": bobs,
        "deal": make_deal(org.alice, alices, name="Alice deal"),
        "other_deal": make_deal(org.alice, other, name="Other deal"),
        "bobs_deal": make_deal(org.bob, bobs, name="Bob deal"),
        "contact": make_contact(alices, first_name="Greta", last_name="Lindqvist"),
        "other_contact": make_contact(other),
        "bobs_contact": make_contact(bobs),
    }


def post_data(setup, **overrides):
    data = {
        "account": setup["account"].pk,
        "deal": setup["deal"].pk,
        "contacts": [setup["contact"].pk],
        "kind": ActivityKind.MEETING,
        "subject": "Quarterly review",
        "occurred_at": "2026-03-14T09:30",
        "notes": "They want a second site.",
    }
    data.update(overrides)
    return data


def test_rep_logs_an_activity(client, setup):
    org = setup["org"]
    client.force_login(org.alice)
    response = client.post("/activities/new/", post_data(setup))
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.owner == org.alice
    assert activity.deal == setup["deal"]
    assert list(activity.contacts.all()) == [setup["contact"]]
    assert activity.occurred_at.astimezone(datetime.UTC) == datetime.datetime(
        2026, 3, 14, 8, 30, tzinfo=datetime.UTC
    )  # entered in Europe/Berlin


def test_missing_subject_and_kind_are_explained(client, setup):
    client.force_login(setup["org"].alice)
    response = client.post("/activities/new/", post_data(setup, subject="", kind=""))
    html = response.content.decode()
    assert "Enter a short subject." in html
    assert "Choose what kind of activity this was." in html
    assert not Activity.objects.exists()


def test_an_impossible_date_is_explained(client, setup):
    client.force_login(setup["org"].alice)
    response = client.post("/activities/new/", post_data(setup, occurred_at="2026-02-30T10:00"))
    assert "Enter a date and time, for example 2026-03-14 09:30." in response.content.decode()


def test_a_deal_of_another_account_is_refused(client, setup):
    client.force_login(setup["org"].alice)
    response = client.post("/activities/new/", post_data(setup, deal=setup["other_deal"].pk))
    assert "Choose a deal of the selected account." in response.content.decode()
    assert not Activity.objects.exists()


def test_a_contact_of_another_account_is_refused(client, setup):
    client.force_login(setup["org"].alice)
    response = client.post(
        "/activities/new/", post_data(setup, contacts=[setup["other_contact"].pk])
    )
    assert "Choose contacts who work at the selected account." in response.content.decode()
    assert not Activity.objects.exists()


def test_rep_cannot_pick_another_teams_account_deal_or_contact(client, setup):
    client.force_login(setup["org"].alice)
    response = client.post(
        "/activities/new/",
        post_data(
            setup,
            account=setup["bobs"].pk,
            deal=setup["bobs_deal"].pk,
            contacts=[setup["bobs_contact"].pk],
        ),
    )
    assert "Choose one of your accounts." in response.content.decode()
    assert not Activity.objects.exists()
    form = client.get("/activities/new/", {"account": setup["bobs"].pk}).context["form"]
    assert list(form.fields["deal"].queryset) == []
    assert list(form.fields["contacts"].queryset) == []


def test_choosing_an_account_offers_its_deals_and_contacts(client, setup):
    client.force_login(setup["org"].alice)
    form = client.get("/activities/new/", {"account": setup["account"].pk}).context["form"]
    assert list(form.fields["deal"].queryset) == [setup["deal"]]
    assert list(form.fields["contacts"].queryset) == [setup["contact"]]
    assert form.initial["account"] == str(setup["account"].pk)


def test_editing_an_activity(client, setup):
    org = setup["org"]
    activity = make_activity(setup["account"], org.alice, subject="Old subject")
    client.force_login(org.mona)  # alice's manager may correct it
    response = client.post(
        f"/activities/{activity.pk}/edit/", post_data(setup, subject="New subject", contacts=[])
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.subject == "New subject"
    assert activity.owner == org.alice


def test_rep_cannot_edit_another_teams_activity(client, setup):
    org = setup["org"]
    activity = make_activity(setup["bobs"], org.bob)
    client.force_login(org.alice)
    assert client.get(f"/activities/{activity.pk}/edit/").status_code == 404


@pytest.fixture
def logged(setup):
    org = setup["org"]
    rows = [
        (setup["account"], ActivityKind.CALL, "Call about pricing"),
        (setup["account"], ActivityKind.VISIT, "Site visit"),
        (setup["other"], ActivityKind.CALL, "Intro call"),
        (setup["bobs"], ActivityKind.CALL, "Bob's call"),
    ]
    for n, (account, kind, subject) in enumerate(rows):
        owner = org.bob if account == setup["bobs"] else org.alice
        make_activity(
            account,
            owner,
            kind=kind,
            subject=subject,
            occurred_at=datetime.datetime(2026, 1, 1 + n, 10, tzinfo=datetime.UTC),
        )
    return rows


def subjects(response):
    return [activity.subject for activity in response.context["page_obj"]]


def test_list_filters_by_kind_and_account(client, setup, logged):
    client.force_login(setup["org"].alice)
    visible = [row for row in logged if row[0] != setup["bobs"]]
    newest_first = [subject for _a, _k, subject in reversed(visible)]
    assert subjects(client.get("/activities/")) == newest_first
    calls = [s for a, k, s in reversed(visible) if k == ActivityKind.CALL]
    assert subjects(client.get("/activities/", {"kind": ActivityKind.CALL})) == calls
    on_account = [s for a, k, s in reversed(visible) if a == setup["account"]]
    assert subjects(client.get("/activities/", {"account": setup["account"].pk})) == on_account


def test_list_sorts_by_subject(client, setup, logged):
    client.force_login(setup["org"].hanna)
    expected = sorted(subject for _a, _k, subject in logged)
    assert subjects(client.get("/activities/", {"sort": "subject"})) == expected


def test_activity_export_is_the_filtered_list(client, setup, logged):
    client.force_login(setup["org"].alice)
    response = client.get("/activities/", {"kind": ActivityKind.CALL, "export": "csv"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    expected = {s for a, k, s in logged if k == ActivityKind.CALL and a != setup["bobs"]}
    assert {row["subject"] for row in rows} == expected


def test_activity_list_query_count_is_bounded(client, setup, django_assert_max_num_queries):
    org = setup["org"]
    for n in range(40):
        activity = make_activity(setup["account"], org.alice, deal=setup["deal"])
        activity.contacts.add(setup["contact"])
        make_activity(make_account(org.alice, f"More {n}"), org.alice)
    client.force_login(org.alice)
    client.get("/activities/")
    with django_assert_max_num_queries(12):
        response = client.get("/activities/")
    assert len(response.context["page_obj"]) == 50
