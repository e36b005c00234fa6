import pytest

from tandem.accounts.models import Account, Sector, Tier
from tandem.audit.models import AuditEvent
from tandem.audit.selectors import history_of
from testsupport.builders import make_account, make_deal, make_product, make_revenue_line


def test_rep_creates_an_account_they_own(org, as_user):
    sector = Sector.objects.first()
    response = as_user("alice").post(
        "/api/accounts",
        {"name": "Müller GmbH", "country": "Germany", "sector": sector.code, "employees": 120},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    account = Account.objects.get(pk=body["id"])
    assert account.owner == org.alice
    assert account.sector == sector
    assert body["owner"] == org.alice.pk
    assert body["sector"] == sector.code
    assert body["tier"] == Tier.STANDARD
    assert [event.action for event in history_of(account)] == ["account.created"]


def test_reading_an_account(org, as_user):
    account = make_account(org.alice, name="Alpha AG", country="Austria")
    body = as_user("alice").get(f"/api/accounts/{account.pk}").json()
    assert body["name"] == "Alpha AG"
    assert body["country"] == "Austria"
    assert body["parent"] is None


def test_rep_cannot_read_another_teams_account(org, as_user):
    account = make_account(org.bob)
    assert as_user("alice").get(f"/api/accounts/{account.pk}").status_code == 404
    assert (
        as_user("alice")
        .patch(f"/api/accounts/{account.pk}", {"name": "x"}, content_type="application/json")
        .status_code
        == 404
    )
    assert as_user("alice").delete(f"/api/accounts/{account.pk}").status_code == 404
    assert Account.objects.filter(pk=account.pk, name=account.name).exists()


def test_patch_changes_only_what_is_sent(org, as_user):
    account = make_account(org.alice, name="Alpha AG", city="Graz", country="Austria")
    response = as_user("alice").patch(
        f"/api/accounts/{account.pk}", {"city": "Wien"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    account.refresh_from_db()
    assert (account.name, account.city, account.country) == ("Alpha AG", "Wien", "Austria")


def test_changing_the_owner_goes_through_the_ownership_change(org, as_user):
    account = make_account(org.alice)
    response = as_user("mona").patch(
        f"/api/accounts/{account.pk}", {"owner": org.mona.pk}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    account.refresh_from_db()
    assert account.owner == org.mona
    event = history_of(account).get(action="account.owner_changed")
    assert event.actor == org.mona
    assert event.changes == {"owner": [org.alice.pk, org.mona.pk]}


def test_owner_cannot_be_set_to_null(org, as_user):
    account = make_account(org.alice)
    response = as_user("alice").patch(
        f"/api/accounts/{account.pk}", {"owner": None}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "owner"]


def test_assigning_an_owner_one_cannot_see_is_422(org, as_user):
    account = make_account(org.alice)
    response = as_user("alice").patch(
        f"/api/accounts/{account.pk}", {"owner": org.bob.pk}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "owner"]
    account.refresh_from_db()
    assert account.owner == org.alice


def test_a_parent_one_cannot_see_is_422(org, as_user):
    others = make_account(org.bob)
    response = as_user("alice").post(
        "/api/accounts", {"name": "Child", "parent": others.pk}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "parent"]
    assert not Account.objects.filter(name="Child").exists()


def test_an_account_cannot_become_its_own_ancestor(org, as_user):
    parent = make_account(org.alice)
    child = make_account(org.alice, parent=parent)
    response = as_user("alice").patch(
        f"/api/accounts/{parent.pk}", {"parent": child.pk}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "parent"]


def test_deleting_an_account(org, as_user):
    account = make_account(org.alice)
    response = as_user("alice").delete(f"/api/accounts/{account.pk}")
    assert response.status_code == 204
    assert not Account.objects.filter(pk=account.pk).exists()
    event = AuditEvent.objects.get(action="account.deleted", object_id=str(account.pk))
    assert (event.actor, event.changes) == (org.alice, {"owner": org.alice.pk})


@pytest.mark.parametrize("keeps", ["deal", "subsidiary", "revenue"])
def test_an_account_with_deals_subsidiaries_or_revenue_is_not_deleted(org, as_user, keeps):
    account = make_account(org.alice)
    if keeps == "deal":
        make_deal(org.alice, account)
    elif keeps == "subsidiary":
        make_account(org.alice, parent=account)
    else:
        make_revenue_line(account, make_product())
    response = as_user("alice").delete(f"/api/accounts/{account.pk}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]
    assert Account.objects.filter(pk=account.pk).exists()


def test_list_filters_match_the_database(org, as_user):
    sectors = list(Sector.objects.all()[:2])
    parent = make_account(org.kim, name="Konzern", tier=Tier.KEY_ACCOUNT)
    for i in range(12):
        make_account(
            org.alice if i % 3 else org.bob,
            name=f"Firma {i}",
            tier=Tier.KEY_ACCOUNT if i % 4 == 0 else Tier.STANDARD,
            country="Germany" if i % 2 else "France",
            city="Berlin" if i % 5 == 0 else "Lyon",
            sector=sectors[i % 2],
            parent=parent if i % 6 == 0 else None,
        )
    client = as_user("hanna")
    cases = [
        ("tier=key", Account.objects.filter(tier="key")),
        (f"owner={org.alice.pk}", Account.objects.filter(owner=org.alice)),
        (f"sector={sectors[0].code}", Account.objects.filter(sector=sectors[0])),
        ("country=germany", Account.objects.filter(country="Germany")),
        (f"parent={parent.pk}", Account.objects.filter(parent=parent)),
        ("q=berl", Account.objects.filter(city="Berlin")),
        ("q=firma 1", Account.objects.filter(name__startswith="Firma 1")),
        ("tier=standard&country=France", Account.objects.filter(tier="standard", country="France")),
    ]
    for query, expected in cases:
        body = client.get(f"/api/accounts?{query}&limit=500").json()
        assert body["count"] == expected.count(), query
        assert {row["id"] for row in body["items"]} == set(expected.values_list("pk", flat=True))


def test_pagination_and_ordering(org, as_user):
    for i in range(7):
        make_account(org.alice, name=f"Firma {i:02d}")
    names = sorted(Account.objects.values_list("name", flat=True))
    client = as_user("hanna")
    first = client.get("/api/accounts?limit=3").json()
    assert first["count"] == len(names)
    assert [row["name"] for row in first["items"]] == names[:3]
    last = client.get("/api/accounts?limit=3&offset=6").json()
    assert [row["name"] for row in last["items"]] == names[6:9]
    backwards = client.get("/api/accounts?ordering=-name&limit=500").json()
    assert [row["name"] for row in backwards["items"]] == names[::-1]


def test_limit_is_at_most_500_and_ordering_must_be_known(org, as_user):
    client = as_user("hanna")
    too_many = client.get("/api/accounts?limit=501")
    assert too_many.status_code == 422
    assert too_many.json()["detail"][0]["loc"] == ["query", "limit"]
    unknown = client.get("/api/accounts?ordering=password")
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["query", "ordering"]


def test_a_rep_cannot_make_their_account_a_key_account(org, as_user):
    """Key-account status is the handover's: a PATCH that sets the tier is refused, named."""
    account = make_account(org.alice)
    response = as_user("alice").patch(
        f"/api/accounts/{account.pk}", {"tier": "key"}, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "tier"]
    assert "handover" in problem["msg"]
    account.refresh_from_db()
    assert account.tier == Tier.STANDARD
    assert not AuditEvent.objects.filter(action="account.tier_changed").exists()


def test_nobody_sets_the_tier_by_an_edit_not_even_the_head_of_sales(org, as_user):
    key = make_account(org.kim, name="Keyco", tier=Tier.KEY_ACCOUNT)
    response = as_user("hanna").patch(
        f"/api/accounts/{key.pk}", {"tier": "standard"}, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    created = as_user("hanna").post(
        "/api/accounts", {"name": "Shortcut AG", "tier": "key"}, content_type="application/json"
    )
    assert created.status_code == 422, created.content
    assert created.json()["detail"][0]["loc"] == ["body", "tier"]
    assert not Account.objects.filter(name="Shortcut AG").exists()
    assert Account.objects.get(pk=key.pk).tier == Tier.KEY_ACCOUNT


def test_a_key_account_changes_hands_only_by_handover(org, as_user):
    key = make_account(org.kim, name="Keyco", tier=Tier.KEY_ACCOUNT)
    response = as_user("hanna").patch(
        f"/api/accounts/{key.pk}", {"owner": org.alice.pk}, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"] == ["body", "owner"]
    assert Account.objects.get(pk=key.pk).owner == org.kim


def test_sending_back_the_current_tier_is_no_change(org, as_user):
    """A client that echoes what GET returned is not refused for the tier it did not change."""
    account = make_account(org.alice, city="Graz")
    response = as_user("alice").patch(
        f"/api/accounts/{account.pk}",
        {"tier": "standard", "city": "Wien"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert Account.objects.get(pk=account.pk).city == "Wien"


def test_the_german_caller_is_told_in_german(org, as_user):
    account = make_account(org.alice)
    response = as_user("alice").patch(
        f"/api/accounts/{account.pk}",
        {"tier": "key"},
        content_type="application/json",
        headers={"Accept-Language": "de"},
    )
    assert response.status_code == 422
    assert "Übergabe" in response.json()["detail"][0]["msg"]
