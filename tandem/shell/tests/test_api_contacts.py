from tandem.accounts.models import BuyingRole, Contact, HierarchyLevel
from testsupport.builders import make_account, make_contact


def test_creating_reading_changing_and_deleting_a_contact(org, as_user):
    account = make_account(org.alice)
    client = as_user("alice")
    created = client.post(
        "/api/contacts",
        {
            "account": account.pk,
            "first_name": "Eva",
            "last_name": "Berg",
            "email": "eva.berg@example.com",
            "hierarchy_level": "c_level",
            "buying_role": "decision_maker",
            "relationship_strength": 4,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    contact_id = created.json()["id"]
    contact = Contact.objects.get(pk=contact_id)
    assert (contact.account, contact.hierarchy_level, contact.relationship_strength) == (
        account,
        HierarchyLevel.C_LEVEL,
        4,
    )
    read = client.get(f"/api/contacts/{contact_id}").json()
    assert read["email"] == "eva.berg@example.com"
    assert read["account"] == account.pk
    changed = client.patch(
        f"/api/contacts/{contact_id}",
        {"buying_role": "champion", "is_active": False},
        content_type="application/json",
    )
    assert changed.status_code == 200
    contact.refresh_from_db()
    assert (contact.buying_role, contact.is_active, contact.first_name) == (
        BuyingRole.CHAMPION,
        False,
        "Eva",
    )
    assert client.delete(f"/api/contacts/{contact_id}").status_code == 204
    assert not Contact.objects.filter(pk=contact_id).exists()


def test_relationship_strength_is_1_to_5(org, as_user):
    contact = make_contact(make_account(org.alice))
    response = as_user("alice").patch(
        f"/api/contacts/{contact.pk}", {"relationship_strength": 6}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "relationship_strength"]


def test_a_contact_cannot_move_to_an_invisible_account(org, as_user):
    contact = make_contact(make_account(org.alice))
    invisible = make_account(org.bob)
    response = as_user("alice").patch(
        f"/api/contacts/{contact.pk}", {"account": invisible.pk}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "account"]
    contact.refresh_from_db()
    assert contact.account.owner == org.alice


def test_contact_filters_match_the_database(org, as_user):
    accounts = [make_account(org.alice), make_account(org.bob)]
    levels = list(HierarchyLevel.values)
    roles = list(BuyingRole.values)
    for i in range(14):
        make_contact(
            accounts[i % 2],
            hierarchy_level=levels[i % len(levels)],
            buying_role=roles[i % len(roles)],
            last_name=f"Schmidt{i}" if i % 3 == 0 else f"Meier{i}",
        )
    client = as_user("hanna")
    cases = [
        (f"account={accounts[0].pk}", Contact.objects.filter(account=accounts[0])),
        ("hierarchy_level=director", Contact.objects.filter(hierarchy_level="director")),
        ("buying_role=champion", Contact.objects.filter(buying_role="champion")),
        ("q=schmidt", Contact.objects.filter(last_name__startswith="Schmidt")),
    ]
    for query, expected in cases:
        assert expected.exists(), query
        body = client.get(f"/api/contacts?{query}").json()
        assert body["count"] == expected.count(), query
        assert {row["id"] for row in body["items"]} == set(expected.values_list("pk", flat=True))
    page = client.get("/api/contacts?limit=4&offset=4&ordering=last_name").json()
    assert page["count"] == Contact.objects.count()
    assert [row["id"] for row in page["items"]] == list(
        Contact.objects.order_by("last_name", "pk").values_list("pk", flat=True)[4:8]
    )
