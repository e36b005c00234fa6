"""When the database drops the server's connection, one request fails cleanly, never the next.

`tandem serve` runs on the PostgreSQL test database and keeps its connection between requests
(CONN_MAX_AGE, as a production server would). The database then ends that connection between two
requests (a restart, a failover) and in the middle of one (it waits for a lock when it is ended).
"""

import threading
import time
import urllib.error

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from tandem.users.models import Role
from testsupport.builders import make_account, make_user
from testsupport.serving import get, serving, url_of_the_test_database

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run"),
    pytest.mark.django_db(transaction=True),
]


SERVER = "tandem-serve-under-test"  # how the server's connections are told from the others


def end_server_connections(database: psycopg.Connection, waiting_for_a_lock: bool = False) -> int:
    """End the server's connections to the test database; how many."""
    query = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s"
    if waiting_for_a_lock:
        query += " AND wait_event_type = 'Lock'"
    return len(database.execute(query, [SERVER]).fetchall())


def test_a_dropped_connection_fails_one_request_cleanly_and_the_next_works(tmp_path):
    rep = make_user("rep", role=Role.SALES_REP)
    make_account(rep, name="Kühne Logistik")
    browser = Client()
    browser.force_login(rep)
    cookie = {"Cookie": f"sessionid={browser.cookies['sessionid'].value}"}
    accounts = reverse("accounts:account_list")
    with (
        serving(
            tmp_path,
            "--workers=1",
            "--no-nightly",
            "--no-collectstatic",
            database_url=url_of_the_test_database(SERVER),
            CONN_MAX_AGE="600",
            TANDEM_SECRET_KEY=settings.SECRET_KEY,  # the test's session is valid there
        ) as (_process, base),
        psycopg.connect(url_of_the_test_database(), autocommit=True) as database,
    ):
        status, body = get(base + accounts, cookie)
        assert status == 200 and "Kühne Logistik" in body.decode()

        # between two requests: the kept connection is found dead and replaced
        assert end_server_connections(database) == 1
        status, body = get(base + accounts, cookie)
        assert status == 200 and "Kühne Logistik" in body.decode()

        # in the middle of a request: that request gets the error page, in its language
        locker = psycopg.connect(url_of_the_test_database())
        locker.execute("LOCK TABLE accounts_account IN ACCESS EXCLUSIVE MODE")
        answers = []

        def ask():
            try:
                answers.append(get(base + accounts, cookie | {"Accept-Language": "de"}))
            except urllib.error.HTTPError as error:
                answers.append((error.code, error.read()))

        asking = threading.Thread(target=ask)
        asking.start()
        deadline = time.monotonic() + 10
        while not end_server_connections(database, waiting_for_a_lock=True):
            assert time.monotonic() < deadline, "the request never waited for the lock"
            time.sleep(0.02)
        locker.rollback()
        locker.close()
        asking.join(timeout=10)
        status, body = answers[0]
        page = body.decode()
        assert status == 500
        assert "Etwas ist schiefgegangen" in page and 'data-error-status="500"' in page
        assert "OperationalError" not in page and "Traceback" not in page

        status, body = get(base + accounts, cookie)
        assert status == 200 and "Kühne Logistik" in body.decode()
