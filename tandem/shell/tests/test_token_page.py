import re

from django.test import Client

from tandem.users.models import ApiToken, hash_token
from tandem.users.services import create_api_token


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_needs_a_login(db):
    response = Client().get("/api-tokens/")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_creating_a_token_shows_it_once(org):
    client = _logged_in(org.alice)
    response = client.post("/api-tokens/", {"name": "Excel sync"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    raw = re.search(r'id="new-token"[^>]*value="(tdm_[^"]+)"', html).group(1)
    token = ApiToken.objects.get(key_hash=hash_token(raw))
    assert (token.user, token.name) == (org.alice, "Excel sync")
    again = client.get("/api-tokens/").content.decode()
    assert "Excel sync" in again
    assert raw not in again
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/deals").status_code == 200


def test_a_token_needs_a_name(org):
    response = _logged_in(org.alice).post("/api-tokens/", {"name": ""})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert 'id="new-token"' not in response.content.decode()


def test_the_page_lists_only_my_tokens(org):
    create_api_token(org.alice, name="alice's script", acting_user=org.alice)
    create_api_token(org.bob, name="bob's script", acting_user=org.bob)
    html = _logged_in(org.alice).get("/api-tokens/").content.decode()
    assert "alice&#x27;s script" in html
    assert "bob&#x27;s script" not in html


def test_revoking_my_token(org):
    token, raw = create_api_token(org.alice, name="old", acting_user=org.alice)
    client = _logged_in(org.alice)
    response = client.post(f"/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/deals").status_code == 401


def test_nobody_revokes_someone_elses_token(org):
    token, _raw = create_api_token(org.bob, name="bob's", acting_user=org.bob)
    response = _logged_in(org.alice).post(f"/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_a_post(org):
    token, _raw = create_api_token(org.alice, name="x", acting_user=org.alice)
    assert _logged_in(org.alice).get(f"/api-tokens/{token.pk}/revoke/").status_code == 405
