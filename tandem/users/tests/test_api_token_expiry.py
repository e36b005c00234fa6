"""API tokens expire: a lifetime chosen at creation (90 days unless told), refused after it
with a message that says so, shown on the tokens page and by `tandem token list`."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from tandem.core.errors import DomainError
from tandem.users.models import ApiToken, hash_token
from tandem.users.services import TOKEN_DAYS_DEFAULT, create_api_token

NOW = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)


def _client(raw, language="en"):
    return Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": language})


def test_a_token_works_for_90_days_by_default(org, time_machine):
    time_machine.move_to(NOW, tick=False)
    token, raw = create_api_token(org.alice, name="script", acting_user=org.alice)
    assert token.expires_at == NOW + datetime.timedelta(days=TOKEN_DAYS_DEFAULT)
    time_machine.move_to(token.expires_at - datetime.timedelta(seconds=1), tick=False)
    assert _client(raw).get("/api/accounts").status_code == 200
    time_machine.move_to(token.expires_at, tick=False)
    response = _client(raw).get("/api/accounts")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    detail = response.json()["detail"]
    assert detail.startswith("This API token expired on ")
    assert "Create a new one" in detail


def test_the_expiry_message_speaks_german(org, time_machine):
    time_machine.move_to(NOW, tick=False)
    _token, raw = create_api_token(org.alice, name="script", acting_user=org.alice, days=1)
    time_machine.shift(datetime.timedelta(days=2))
    detail = _client(raw, "de").get("/api/accounts").json()["detail"]
    assert "abgelaufen" in detail


def test_the_lifetime_is_chosen_at_creation_within_limits(org):
    token, _raw = create_api_token(org.alice, name="short", acting_user=org.alice, days=7)
    assert token.expires_at - token.created_at == pytest.approx(
        datetime.timedelta(days=7), abs=datetime.timedelta(seconds=5)
    )
    for days in (0, 366, -1):
        with pytest.raises(DomainError):
            create_api_token(org.alice, name="bad", acting_user=org.alice, days=days)


def test_the_tokens_page_creates_with_a_lifetime_and_shows_the_expiry(client, org, time_machine):
    time_machine.move_to(NOW, tick=False)
    client.force_login(org.alice)
    response = client.post("/api-tokens/", {"name": "report", "days": "30"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=org.alice, name="report")
    assert token.expires_at == NOW + datetime.timedelta(days=30)
    assert client.post("/api-tokens/", {"name": "forever", "days": "5000"}).status_code == 200
    assert not ApiToken.objects.filter(name="forever").exists()
    time_machine.move_to(NOW + datetime.timedelta(days=31), tick=False)
    client.force_login(org.alice)  # the session itself ended meanwhile
    html = client.get("/api-tokens/").content.decode()
    assert "data-status>expired<" in html
    assert timezone.localtime(token.expires_at).strftime("%Y") in html


def test_the_command_takes_days_and_lists_the_expiry(org, time_machine):
    time_machine.move_to(NOW, tick=False)
    out = StringIO()
    call_command(
        "token", "create", "alice", "--name", "cron", "--days", "10", stdout=out, stderr=StringIO()
    )
    token = ApiToken.objects.get(key_hash=hash_token(out.getvalue().strip()))
    assert token.expires_at == NOW + datetime.timedelta(days=10)
    with pytest.raises(CommandError):
        call_command(
            "token",
            "create",
            "alice",
            "--name",
            "x",
            "--days",
            "999",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    time_machine.move_to(NOW + datetime.timedelta(days=11), tick=False)
    listing = StringIO()
    call_command("token", "list", "alice", stdout=listing)
    line = next(line for line in listing.getvalue().splitlines() if "cron" in line)
    assert line.rstrip().endswith("expired")
    assert f"{timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}" in line
