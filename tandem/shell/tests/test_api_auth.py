import datetime

from django.core.cache import caches
from django.test import Client

from tandem.audit.models import AuditEvent
from tandem.users.models import ApiToken, hash_token
from tandem.users.services import create_api_token, revoke_api_token, store_token_use
from testsupport.builders import make_account


def test_it_refuses_requests_without_credentials(org):
    response = Client().get("/api/accounts")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "detail" in response.json()


def test_it_refuses_a_wrong_token(org):
    client = Client(headers={"Authorization": "Bearer tdm_not-a-real-token"})
    assert client.get("/api/accounts").status_code == 401


def test_it_refuses_a_token_without_the_prefix(org):
    _token, raw = create_api_token(org.alice, name="script", acting_user=org.alice)
    client = Client(headers={"Authorization": f"Bearer {raw.removeprefix('tdm_')}"})
    assert client.get("/api/accounts").status_code == 401


def test_it_refuses_a_revoked_token(org):
    token, raw = create_api_token(org.alice, name="script", acting_user=org.alice)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/accounts").status_code == 200
    revoke_api_token(token, acting_user=org.alice)
    assert client.get("/api/accounts").status_code == 401


def test_it_refuses_the_token_of_an_inactive_user(org):
    _token, raw = create_api_token(org.alice, name="script", acting_user=org.alice)
    org.alice.is_active = False
    org.alice.save()
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/accounts").status_code == 401


def test_a_wrong_token_is_refused_even_with_a_session(org):
    client = Client(headers={"Authorization": "Bearer tdm_wrong"})
    client.force_login(org.alice)
    assert client.get("/api/accounts").status_code == 401


def test_it_stores_only_the_hash_of_the_token(org):
    token, raw = create_api_token(org.alice, name="script", acting_user=org.alice)
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in {str(value) for value in stored.values()}
    assert stored["key_hash"] == hash_token(raw)
    assert len(stored["key_hash"]) == 64
    assert raw.startswith(stored["hint"]) and len(stored["hint"]) < len(raw)
    assert not any(raw in str(event.changes) for event in AuditEvent.objects.all())


def test_a_valid_token_authenticates_as_its_user_and_notes_its_use(org):
    caches["shared"].clear()  # what earlier tests' tokens left there
    token, raw = create_api_token(org.alice, name="script", acting_user=org.alice)
    mine = make_account(org.alice)
    make_account(org.bob)
    assert token.last_used_at is None
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    response = client.get("/api/accounts")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["items"]] == [mine.pk]
    token.refresh_from_db()
    assert token.last_used_at is None  # a read notes it in the shared cache, never in the table
    assert store_token_use() == 1  # the job users.token_use, every five minutes
    token.refresh_from_db()
    assert token.last_used_at is not None
    # A later call more than a minute on moves it forward; a write notes it at once.
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=token.last_used_at - datetime.timedelta(minutes=5)
    )
    client.post("/api/accounts", {"name": "Token GmbH"}, content_type="application/json")
    assert ApiToken.objects.get(pk=token.pk).last_used_at >= token.last_used_at


def test_a_session_reads_without_a_token(org):
    client = Client()
    client.force_login(org.alice)
    assert client.get("/api/accounts").status_code == 200


def test_a_session_writes_only_with_the_csrf_token(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.alice)
    body = {"name": "Session GmbH"}
    refused = client.post("/api/accounts", body, content_type="application/json")
    assert refused.status_code == 403
    client.get("/api-tokens/")  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/accounts", body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["owner"] == org.alice.pk
