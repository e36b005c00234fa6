"""Reads from a real streaming replica: `tandem serve` on the PostgreSQL test database with
DATABASE_REPLICA_URLS pointing at a replica of it (testsupport/replica.py), over real HTTP.

The replica's replay is paused to make it lag: what is written then is on the primary only, so a
page that shows it was read from the primary, and one that does not, from the replica.
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from tandem.core.replicas import WROTE_COOKIE
from tandem.users.models import Role
from tandem.users.services import create_api_token
from testsupport.builders import make_account, make_user
from testsupport.replica import streaming_replica
from testsupport.serving import free_port, serving, url_of_the_test_database

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: a streaming replica of the test database",
    ),
    pytest.mark.django_db(transaction=True),
]

SERVER = "tandem-serve-on-replicas"  # how the server's connections are told from the others
ACCOUNTS = "/api/accounts?limit=500"
PIN = 5  # seconds a writer reads from the primary, in the test of reading one's own writes
CHECK_EVERY_3_S = {"TANDEM_REPLICA_CHECK_SECONDS": "3"}
# The lag counts from the last commit the replica replayed, which on a slow machine can be older
# than the default limit by the time a paused replica is read; only the test of the limit sets it.
PAUSED_IS_NOT_TOO_FAR = {"TANDEM_REPLICA_MAX_LAG_SECONDS": "600"}


@pytest.fixture(scope="module")
def replica(django_db_setup):
    """The replica, made once the test database exists (it is copied with the cluster)."""
    with streaming_replica() as replica:
        yield replica


@pytest.fixture(autouse=True)
def replaying(replica):
    """Every test leaves the replica up and replaying, also when it fails halfway."""
    yield
    if not replica.running():
        replica.start()
    replica.resume()


def server(replica, data_dir, *replica_urls: str, **environment):
    """`tandem serve` reading from the given replicas (the real one unless others are named)."""
    return serving(
        data_dir,
        "--workers=1",
        "--no-worker",
        "--no-collectstatic",
        database_url=url_of_the_test_database(SERVER),
        DATABASE_REPLICA_URLS=",".join(replica_urls or [replica.url(SERVER)]),
        TANDEM_SECRET_KEY=settings.SECRET_KEY,  # the test's sessions are valid there
        **(PAUSED_IS_NOT_TOO_FAR | environment),
    )


def ask(url: str, headers: dict, data: dict | None = None) -> tuple[int, str, str]:
    """Status, the cookie the answer sets (if any) and the body; a failed request fails."""
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            cookie = response.headers.get("Set-Cookie", "").split(";")[0]
            return response.status, cookie, response.read().decode()
    except urllib.error.HTTPError as error:
        pytest.fail(f"{error.code} for {url}: {error.read().decode()[:2000]}")


def names(body: str) -> list[str]:
    return [account["name"] for account in json.loads(body)["items"]]


def token_of(user) -> dict:
    _token, raw = create_api_token(user, name="replicas", acting_user=user)
    return {"Authorization": f"Bearer {raw}"}


def session_of(user) -> dict:
    browser = Client()
    browser.force_login(user)
    return {"Cookie": f"sessionid={browser.cookies['sessionid'].value}"}


def test_who_wrote_reads_their_write_while_others_read_the_lagging_replica(replica, tmp_path):
    rep = make_user("replica-rep", role=Role.SALES_REP)
    rep_api = token_of(rep)
    head = session_of(make_user("replica-head", role=Role.HEAD_OF_SALES))
    accounts = reverse("accounts:account_list")
    with server(replica, tmp_path, TANDEM_REPLICA_PIN_SECONDS=str(PIN)) as (_process, base):
        replica.catch_up()
        replica.pause()
        status, wrote, _body = ask(base + "/api/accounts", rep_api, {"name": "Kühne Logistik"})
        pinned_until = time.monotonic() + PIN
        assert status == 201 and wrote.startswith(f"{WROTE_COOKIE}=")

        # the writer's next request carries the cookie: read from the primary
        _status, _cookie, body = ask(base + ACCOUNTS, rep_api | {"Cookie": wrote})
        assert names(body) == ["Kühne Logistik"]
        # the same request without it, and another person, read from the replica: not there yet
        _status, _cookie, body = ask(base + ACCOUNTS, rep_api)
        assert names(body) == []
        status, _cookie, page = ask(base + accounts, head)
        assert status == 200 and "Kühne Logistik" not in page
        # the cookie's signature ends the window, though this client keeps sending it
        time.sleep(max(0, pinned_until - time.monotonic()) + 0.5)
        _status, _cookie, body = ask(base + ACCOUNTS, rep_api | {"Cookie": wrote})
        assert names(body) == []

        replica.resume()
        replica.catch_up()
        _status, _cookie, page = ask(base + accounts, head)
        assert "Kühne Logistik" in page


def test_each_request_reads_from_one_of_the_replicas_picked_at_random(replica, tmp_path):
    rep_api = token_of(make_user("replica-rep", role=Role.SALES_REP))
    # two replicas (the same server under two names); kept connections show which were used
    first, second = f"{SERVER}-1", f"{SERVER}-2"
    both = server(replica, tmp_path, replica.url(first), replica.url(second), CONN_MAX_AGE="600")
    with both as (_process, base):
        replica.catch_up()
        for _ in range(20):  # one of them unused: a chance of 2 in a million
            ask(base + ACCOUNTS, rep_api)
        used = replica.query(
            "SELECT array_agg(DISTINCT application_name ORDER BY application_name)"
            f" FROM pg_stat_activity WHERE application_name LIKE '{SERVER}-%'"
        )[0]
        assert used == [first, second]


def test_a_replica_that_is_down_fails_no_request_and_is_read_again_once_back(replica, tmp_path):
    rep = make_user("replica-rep", role=Role.SALES_REP)
    head = session_of(make_user("replica-head", role=Role.HEAD_OF_SALES))
    accounts = reverse("accounts:account_list")
    nowhere = f"postgres://postgres@127.0.0.1:{free_port()}/nowhere"  # a second one, never up
    # within 3 s of a check the lag is not measured again: the failed connection alone tells
    serving_both = server(replica, tmp_path, nowhere, replica.url(SERVER), **CHECK_EVERY_3_S)
    with serving_both as (_process, base):
        replica.catch_up()
        replica.pause()
        make_account(rep, name="Seidel Logistik")
        for _ in range(3):  # whichever replica is picked first, the live one answers
            status, _cookie, page = ask(base + accounts, head)
            assert status == 200 and "Seidel Logistik" not in page

        replica.stop()
        for _ in range(3):
            status, _cookie, page = ask(base + accounts, head)
            assert status == 200 and "Seidel Logistik" in page

        replica.start()  # replaying again: a restart forgets the pause
        replica.catch_up()
        replica.pause()
        make_account(rep, name="Vogt Elektronik")
        deadline = time.monotonic() + 20
        while "Vogt Elektronik" in ask(base + accounts, head)[2]:
            assert time.monotonic() < deadline, "the replica was never read again"
            time.sleep(0.2)


def test_a_replica_too_far_behind_is_skipped(replica, tmp_path):
    rep = make_user("replica-rep", role=Role.SALES_REP)
    head = session_of(make_user("replica-head", role=Role.HEAD_OF_SALES))
    accounts = reverse("accounts:account_list")
    with server(
        replica, tmp_path, TANDEM_REPLICA_MAX_LAG_SECONDS="3", TANDEM_REPLICA_CHECK_SECONDS="0.5"
    ) as (_process, base):
        make_account(rep, name="Brandt Chemie")  # the lag counts from the last commit replayed
        replica.catch_up()
        replica.pause()
        make_account(rep, name="Kraft Pharma")
        assert "Kraft Pharma" not in ask(base + accounts, head)[2]  # not yet 3 s behind
        deadline = time.monotonic() + 15
        while "Kraft Pharma" not in ask(base + accounts, head)[2]:
            assert time.monotonic() < deadline, "the lagging replica was read all along"
            time.sleep(0.2)
        assert replica.query("SELECT pg_get_wal_replay_pause_state()")[0] == "paused"


def test_a_command_reads_the_replica_only_inside_reading_from_replica(replica, tmp_path):
    rep = make_user("replica-rep", role=Role.SALES_REP)
    replica.catch_up()
    replica.pause()
    make_account(rep, name="Lange Textil")
    script = (
        "from tandem.accounts.models import Account\n"
        "from tandem.core.replicas import reading_from_replica\n"
        "found = lambda: Account.objects.filter(name='Lange Textil').exists()\n"
        "with reading_from_replica() as replica:\n"
        "    print(replica, found())\n"
        "print(found())\n"
    )
    shell = subprocess.run(
        [sys.executable, "-m", "tandem", "shell", "--no-imports", "-c", script],
        env=dict(
            os.environ,
            DATABASE_URL=url_of_the_test_database(),
            DATABASE_REPLICA_URLS=replica.url(),
            TANDEM_DATA_DIR=str(tmp_path),
            **PAUSED_IS_NOT_TOO_FAR,
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.split() == ["replica1", "False", "True"]
