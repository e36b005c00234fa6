import datetime

from tandem.activities.models import Activity
from testsupport.builders import make_account, make_activity, make_contact, make_deal


def test_logging_reading_changing_and_deleting_an_activity(org, as_user):
    account = make_account(org.alice)
    deal = make_deal(org.alice, account)
    contacts = [make_contact(account), make_contact(account)]
    client = as_user("alice")
    created = client.post(
        "/api/activities",
        {
            "kind": "visit",
            "subject": "Plant tour",
            "occurred_at": "2026-03-02T09:30:00+01:00",
            "account": account.pk,
            "deal": deal.pk,
            "contacts": [contact.pk for contact in contacts],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    activity = Activity.objects.get(pk=body["id"])
    assert activity.owner == org.alice
    assert activity.occurred_at == datetime.datetime(2026, 3, 2, 8, 30, tzinfo=datetime.UTC)
    assert set(activity.contacts.all()) == set(contacts)
    assert body["contacts"] == sorted(contact.pk for contact in contacts)
    changed = client.patch(
        f"/api/activities/{activity.pk}",
        {"subject": "Plant tour and lunch", "contacts": [contacts[0].pk]},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    activity.refresh_from_db()
    assert activity.subject == "Plant tour and lunch"
    assert list(activity.contacts.all()) == [contacts[0]]
    assert client.get(f"/api/activities/{activity.pk}").json()["contacts"] == [contacts[0].pk]
    assert client.delete(f"/api/activities/{activity.pk}").status_code == 204
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_a_contact_of_another_account_is_refused(org, as_user):
    account = make_account(org.alice)
    elsewhere = make_contact(make_account(org.alice))
    response = as_user("alice").post(
        "/api/activities",
        {
            "kind": "call",
            "subject": "Call",
            "occurred_at": "2026-03-02T09:30:00Z",
            "account": account.pk,
            "contacts": [elsewhere.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "contacts"]


def test_an_invisible_contact_or_deal_is_422(org, as_user):
    account = make_account(org.alice)
    others = make_account(org.bob)
    for field, value in [
        ("contacts", [make_contact(others).pk]),
        ("deal", make_deal(org.bob, others).pk),
    ]:
        response = as_user("alice").post(
            "/api/activities",
            {
                "kind": "call",
                "subject": "Call",
                "occurred_at": "2026-03-02T09:30:00Z",
                "account": account.pk,
                field: value,
            },
            content_type="application/json",
        )
        assert response.status_code == 422, field
        assert response.json()["detail"][0]["loc"] == ["body", field]
    assert not Activity.objects.exists()


def test_activity_filters_match_the_database(org, as_user):
    accounts = [make_account(org.alice), make_account(org.bob)]
    deal = make_deal(org.alice, accounts[0])
    kinds = ["call", "meeting", "visit", "email"]
    start = datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC)
    for i in range(16):
        make_activity(
            accounts[i % 2],
            accounts[i % 2].owner,
            kind=kinds[i % len(kinds)],
            occurred_at=start + datetime.timedelta(days=7 * i),
            deal=deal if i % 4 == 0 else None,
        )
    client = as_user("hanna")
    cases = [
        (f"account={accounts[1].pk}", Activity.objects.filter(account=accounts[1])),
        (f"deal={deal.pk}", Activity.objects.filter(deal=deal)),
        ("kind=visit", Activity.objects.filter(kind="visit")),
        (
            "after=2026-02-15",
            Activity.objects.filter(
                occurred_at__gte=datetime.datetime(2026, 2, 15, tzinfo=datetime.UTC)
            ),
        ),
        (
            "after=2026-02-01&before=2026-03-31",
            Activity.objects.filter(
                occurred_at__gte=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC),
                occurred_at__lt=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
            ),
        ),
    ]
    for query, expected in cases:
        assert expected.exists(), query
        body = client.get(f"/api/activities?{query}").json()
        assert body["count"] == expected.count(), query
        assert {row["id"] for row in body["items"]} == set(expected.values_list("pk", flat=True))
    newest = client.get("/api/activities?limit=3").json()
    assert [row["id"] for row in newest["items"]] == list(
        Activity.objects.order_by("-occurred_at", "-pk").values_list("pk", flat=True)[:3]
    )
