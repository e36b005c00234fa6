"""Deploying safely: Django's deploy checks, the security headers, login throttling and
sessions that end when they should."""

import os
import subprocess
import sys

from django.conf import settings
from django.test import Client

from testsupport.builders import PASSWORD

PRODUCTION = {
    "TANDEM_HTTPS": "true",
    "TANDEM_ALLOWED_HOSTS": "tandem.example.com",
    "TANDEM_SECRET_KEY": "a-production-secret-key-long-and-random-enough-for-django-checks-0123",
}


def test_the_deploy_check_is_clean_with_the_production_settings(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TANDEM_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"  # set for the tests
    }
    env.update(PRODUCTION, TANDEM_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="tandem.settings")
    run = subprocess.run(
        [sys.executable, "-m", "tandem", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout + run.stderr


def test_without_https_the_local_server_keeps_plain_http():
    """`tandem serve` on 127.0.0.1 works over http: nothing insists on HTTPS unless told."""
    assert not settings.HTTPS
    assert not settings.SESSION_COOKIE_SECURE and not settings.SECURE_SSL_REDIRECT
    assert settings.SECURE_HSTS_SECONDS == 0


def test_every_page_sends_the_security_headers(client, org):
    client.force_login(org.alice)
    for url in ["/login/", "/", "/api/docs"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        policy = dict(
            part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
        )
        assert policy["frame-ancestors"] == "'none'"
        assert policy["script-src"] == "'self'"
        assert "unsafe" not in policy["style-src"] and "unsafe" not in policy["default-src"]


# --- login throttling -----------------------------------------------------------------------


def _fail(client, username="alice", address="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=address)


def test_an_account_is_locked_after_too_many_wrong_passwords(client, org):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _fail(client, address=f"10.0.0.{_ + 1}").status_code == 200
    locked = _fail(client, address="10.0.1.1")
    assert locked.status_code == 429
    assert "Too many failed logins. Try again in 15 minutes." in locked.content.decode()
    # the right password does not help now, from anywhere
    right = client.post(
        "/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.2.2"
    )
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # another account is not locked
    other = client.post(
        "/login/", {"username": "bob", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert other.status_code == 302


def test_an_address_is_locked_after_too_many_wrong_passwords(client, org):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, username=f"guess{n}", address="10.0.0.7")
    assert _fail(client, username="bob", address="10.0.0.7").status_code == 429
    german = client.post(
        "/login/",
        {"username": "bob", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.7",
        headers={"Accept-Language": "de"},
    )
    assert german.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldungen" in german.content.decode()
    assert (
        client.post(
            "/login/", {"username": "bob", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8"
        ).status_code
        == 302
    )


def test_a_good_login_resets_the_count(client, org):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _fail(client)
    assert (
        client.post(
            "/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
        ).status_code
        == 302
    )
    client.logout()
    assert _fail(client).status_code == 200


def test_the_lock_ends_after_the_cool_off_time(client, org, time_machine):
    time_machine.move_to("2026-05-04 09:00:00+02:00", tick=False)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail(client)
    assert _fail(client).status_code == 429
    time_machine.shift(settings.AXES_COOLOFF_TIME.total_seconds() + 60)
    assert (
        client.post(
            "/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
        ).status_code
        == 302
    )


def test_logins_without_a_request_are_not_throttled(client, org):
    """The test client's login() and the command line's authenticate() come from no address."""
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert not client.login(username="alice", password="wrong")
    assert client.login(username="alice", password=PASSWORD)


# --- sessions -------------------------------------------------------------------------------


def test_after_logout_the_old_session_key_lets_nobody_in(org):
    browser = Client()
    browser.post("/login/", {"username": "alice", "password": PASSWORD})
    key = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert browser.get("/").status_code == 200
    browser.post("/logout/")
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = key
    response = thief.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_password_change_ends_the_other_sessions(org):
    laptop, phone = Client(), Client()
    for browser in (laptop, phone):
        browser.post("/login/", {"username": "alice", "password": PASSWORD})
        assert browser.get("/").status_code == 200
    new = "a-much-better-passphrase-42"
    response = laptop.post(
        "/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200  # the browser that changed it stays in
    assert phone.get("/").status_code == 302  # every other one is logged out


def test_behind_a_proxy_the_address_is_the_one_it_forwarded(client, org, settings):
    """With TANDEM_PROXY_COUNT=1 every login reaches Tandem from the proxy: the address to
    throttle is the last one the proxy appended, not what the client wrote before it."""
    settings.PROXY_COUNT = 1

    def fail_from(forwarded):
        return client.post(
            "/login/",
            {"username": "nobody", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for n in range(settings.AXES_FAILURE_LIMIT):
        fail_from(f"1.2.3.{n}, 203.0.113.9")  # a spoofed first entry changes nothing
    assert fail_from("203.0.113.9").status_code == 429
    ok = client.post(
        "/login/",
        {"username": "bob", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert ok.status_code == 302  # another client behind the same proxy still gets in
