from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tandem.users.models import ApiToken, hash_token


def _run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_a_working_token_once(org):
    out, err = _run("create", "alice", "--name", "nightly export")
    raw = out.strip()
    assert raw.startswith("tdm_")
    token = ApiToken.objects.get(key_hash=hash_token(raw))
    assert (token.user, token.name) == (org.alice, "nightly export")
    assert "not shown again" in err
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/accounts").status_code == 200
    listed, _ = _run("list", "alice")
    assert "nightly export" in listed
    assert raw not in listed
    assert token.hint in listed


def test_revoke_stops_the_token(org):
    raw = _run("create", "alice", "--name", "script")[0].strip()
    token = ApiToken.objects.get(key_hash=hash_token(raw))
    out, _ = _run("revoke", str(token.pk))
    assert "Revoked" in out
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "revoked" in _run("list", "alice")[0]
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/accounts").status_code == 401
    again, _ = _run("revoke", str(token.pk))
    assert "already" in again


def test_unknown_user_or_token_is_an_error(org):
    with pytest.raises(CommandError):
        _run("create", "nobody", "--name", "x")
    with pytest.raises(CommandError):
        _run("revoke", "999999")
    with pytest.raises(CommandError):
        _run("list", "nobody")


def test_listing_a_user_without_tokens(org):
    assert "no API tokens" in _run("list", "bob")[0]
