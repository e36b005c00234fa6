"""Two web nodes on one database answer alike, and a user moves between them mid-session.

Two `tandem serve` processes on different ports, each with a data folder of its own (as on two
machines), share the test database (on SQLite a file copy of it, as the test database lives in
memory) and TANDEM_SECRET_KEY. The test stands in for the load balancer: it sends its requests to
the nodes in turn. The user logs in on one node and goes on on the other; then the node the user
logged in on is killed (SIGKILL, as a machine that dies) while the other keeps answering.
"""

import http.client
import http.cookies
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from itertools import cycle
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from tandem.users.models import Role
from testsupport.builders import (
    PASSWORD,
    make_account,
    make_deal,
    make_user,
    seed_reference_data,
)
from testsupport.serving import free_port, serving, url_of_the_test_database

pytestmark = pytest.mark.django_db(transaction=True)

SECRET_KEY = "the-same-secret-key-on-every-web-node"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_TOKEN = re.compile(r"\b[A-Za-z0-9]{64}\b")  # a masked token: 64 letters and digits


class Browser:
    """One user's browser: keeps its cookies, follows no redirect, talks to whichever node it
    is sent to (the cookies belong to the one address the nodes stand behind)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def send(self, base: str, path: str, form: dict | None = None) -> tuple[int, str, dict]:
        address = urllib.parse.urlsplit(base)
        conn = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Django checks a POST's origin against the host it is sent to, as a browser sends
            headers["Origin"] = base
        try:
            conn.request("POST" if form is not None else "GET", path, body, headers)
            response = conn.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in http.cookies.SimpleCookie(header).items():
                    if morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return response.status, response.read().decode(), dict(response.headers)
        finally:
            conn.close()

    def get(self, base: str, path: str) -> tuple[int, str]:
        status, page, _headers = self.send(base, path)
        return status, page


def the_same_page(page: str) -> str:
    """A page without what differs on every answer, wherever it comes from: Django masks the
    CSRF token anew for every page that carries it (forms, htmx's header)."""
    return CSRF_TOKEN.sub("", page)


def kill_node(process) -> None:
    """SIGKILL the node: gunicorn's arbiter and its workers, as if the machine died."""
    workers = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    for pid in [process.pid, *map(int, workers)]:
        os.kill(pid, signal.SIGKILL)
    process.wait(timeout=10)


@pytest.fixture
def database_url(tmp_path) -> str:
    """The database both nodes serve, holding what the test has committed."""
    if connection.vendor == "postgresql":
        return url_of_the_test_database("tandem-web-node")
    path = tmp_path / "tandem.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()
    return f"sqlite:///{path}"


@pytest.fixture
def org():
    seed_reference_data()  # an earlier transactional test may have emptied the database
    rep = make_user("rep", role=Role.SALES_REP, first_name="Rosa", last_name="Rep")
    # the tests hash with MD5 for speed; the servers know only Django's default hasher
    hasher = PBKDF2PasswordHasher()
    rep.password = hasher.encode(PASSWORD, hasher.salt())
    rep.save(update_fields=["password"])
    account = make_account(rep, name="Kühne Logistik")
    make_account(rep, name="Brenner Maschinenbau")
    make_deal(rep, account, name="Lagerhalle Nord")
    other = make_user("other", role=Role.SALES_REP)
    make_account(other, name="Nicht Sichtbar GmbH")
    return account


@pytest.fixture
def two_nodes(org, database_url, tmp_path):
    node = dict(
        database_url=database_url,
        TANDEM_SECRET_KEY=SECRET_KEY,
        TANDEM_FILES_DIR=str(tmp_path / "files"),  # one folder both mount
    )
    options = ("--workers=1", "--no-worker", "--no-collectstatic")
    with (
        serving(tmp_path / "node-a", *options, **node) as (node_a, base_a),
        serving(tmp_path / "node-b", *options, **node) as (node_b, base_b),
    ):
        yield [(node_a, base_a), (node_b, base_b)]


def log_in(browser: Browser, base: str) -> None:
    status, page = browser.get(base, reverse("login"))
    assert status == 200
    form = {
        "csrfmiddlewaretoken": CSRF_FIELD.search(page).group(1),
        "username": "rep",
        "password": PASSWORD,
    }
    status, _page, headers = browser.send(base, reverse("login"), form)
    assert status == 302 and headers["Location"] == reverse("home")
    assert "sessionid" in browser.cookies


def test_a_user_moves_between_two_nodes_and_sees_the_same(two_nodes, org):
    (_node_a, a), (_node_b, b) = two_nodes
    browser = Browser()
    log_in(browser, a)

    # the session begun on A is known on B: the user's own data, nothing of anyone else's
    accounts = reverse("accounts:account_list")
    status, page = browser.get(b, accounts)
    assert status == 200
    assert "Kühne Logistik" in page and "Brenner Maschinenbau" in page
    assert "Nicht Sichtbar" not in page

    # round robin over the user's pages: every answer 200, each page the same from both nodes
    pages = [
        reverse("home"),
        accounts,
        reverse("pipeline:deal_list"),
        reverse("accounts:account_detail", args=[org.pk]),
    ]
    nodes = cycle([a, b])
    for path in pages:
        answers = [browser.get(next(nodes), path) for _ in range(4)]
        assert [status for status, _page in answers] == [200] * 4, path
        first, *others = [the_same_page(page) for _status, page in answers]
        for other in others:
            assert other == first, path

    # a form fetched from A is sent to B: B takes A's CSRF token and writes
    form_path = reverse("accounts:account_contact_create", args=[org.pk])
    status, page = browser.get(a, form_path)
    assert status == 200
    status, _page, headers = browser.send(
        b,
        form_path,
        {
            "csrfmiddlewaretoken": CSRF_FIELD.search(page).group(1),
            "account": org.pk,
            "first_name": "Greta",
            "last_name": "Zweiknoten",
            "hierarchy_level": "director",
            "buying_role": "champion",
            "relationship_strength": "4",
            "is_active": "on",
        },
    )
    assert status == 302, _page
    # the redirect is followed on A, which shows B's message and the new contact
    status, page = browser.get(a, headers["Location"])
    assert status == 200
    assert "Contact Greta Zweiknoten added." in page
    status, page = browser.get(b, headers["Location"])
    assert status == 200
    assert "Greta Zweiknoten" in page and "added." not in page  # the message was shown once


def test_when_a_node_dies_the_other_answers_every_request(two_nodes):
    (node_a, a), (_node_b, b) = two_nodes
    browser = Browser()
    log_in(browser, a)
    accounts = reverse("accounts:account_list")

    answers: list[int] = []
    failures: list[BaseException] = []
    stop = threading.Event()

    def keep_asking_b():
        while not stop.is_set():
            try:
                status, page = browser.get(b, accounts)
                answers.append(status if "Kühne Logistik" in page else -status)
            except Exception as error:  # every failure is one the test reports
                failures.append(error)

    asking = threading.Thread(target=keep_asking_b)
    asking.start()
    try:
        deadline = time.monotonic() + 30
        while len(answers) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        kill_node(node_a)  # the node the user logged in on
        assert node_a.returncode == -signal.SIGKILL
        asked_before_the_end = len(answers)
        while len(answers) < asked_before_the_end + 10 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        asking.join(timeout=15)
    assert not failures
    assert len(answers) >= asked_before_the_end + 10
    assert set(answers) == {200}
    with pytest.raises(ConnectionRefusedError):
        browser.get(a, accounts)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="counts PostgreSQL's connections")
def test_a_node_forks_its_workers_without_a_database_connection(org, tmp_path):
    """The server migrates before gunicorn forks its workers: a connection it kept open would be
    shared by every worker, whose queries then get each other's answers ("lost
    synchronization with server") on their first requests."""
    name = "tandem-forking-node"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        TANDEM_DATA_DIR=str(tmp_path),
        DATABASE_URL=url_of_the_test_database(name),
        TANDEM_SECRET_KEY=SECRET_KEY,
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tandem", "serve", "--port", str(port), "--workers=3"]
        + ["--no-worker", "--no-collectstatic"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for line in server.stdout:  # it has migrated, and says so just before it forks
            if "Tandem is running" in line:
                break
        deadline = time.monotonic() + 30
        while len(Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()) < 3:
            assert time.monotonic() < deadline, "gunicorn started no workers"
            time.sleep(0.1)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [name]
            )
            assert cursor.fetchone()[0] == 0
        browser = Browser()
        log_in(browser, f"http://127.0.0.1:{port}")
    finally:
        server.terminate()
        server.wait(timeout=10)
