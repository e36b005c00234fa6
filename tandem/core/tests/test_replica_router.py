"""Where the replica router and middleware send each query, on SQLite and PostgreSQL alike: no
replica needs to answer here, they only name one (test_replicas.py reads from a real one)."""

import datetime
import os

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from tandem.accounts.models import Account
from tandem.core import replicas
from tandem.core.replicas import (
    PRIMARY,
    WROTE_COOKIE,
    ReplicaReadsMiddleware,
    ReplicaRouter,
    reading,
    reads_database,
)
from tandem.users.models import ApiToken, User
from testsupport.builders import make_user

# outside a transaction: the test's own one would keep every read on the primary
pytestmark = pytest.mark.django_db(transaction=True)

router = ReplicaRouter()


@pytest.mark.skipif(bool(os.environ.get("DATABASE_REPLICA_URLS")), reason="replicas are set")
def test_without_replicas_nothing_routes():
    assert settings.DATABASE_REPLICAS == []
    assert settings.DATABASE_ROUTERS == []
    assert "tandem.core.replicas.ReplicaReadsMiddleware" not in settings.MIDDLEWARE


def test_reads_go_to_the_replica_only_inside_a_request_or_block_that_chose_one():
    assert router.db_for_read(Account) == PRIMARY  # a command, a job
    with reading("replica1"):
        assert router.db_for_read(Account) == "replica1"
        assert reads_database() == "replica1"  # raw SQL that reads goes the same way
        assert router.db_for_write(Account) == PRIMARY
    with reading(None):  # a POST, or no replica usable
        assert router.db_for_read(Account) == PRIMARY


def test_who_is_asking_is_always_read_from_the_primary():
    with reading("replica1"):
        assert router.db_for_read(User) == PRIMARY
        assert router.db_for_read(ApiToken) == PRIMARY


def test_after_a_write_every_read_goes_to_the_primary():
    with reading("replica1") as state:
        make_user("writer")
        assert state.wrote and router.db_for_read(Account) == PRIMARY == reads_database()
    with reading("replica1"):
        with connection.cursor() as cursor:  # raw SQL is seen too
            cursor.execute("UPDATE accounts_account SET city = 'Köln' WHERE id = -1")
        assert router.db_for_read(Account) == PRIMARY


def test_inside_a_transaction_on_the_primary_reads_stay_there():
    with reading("replica1") as state:
        with transaction.atomic():
            assert router.db_for_read(Account) == PRIMARY
            assert list(Account.objects.all()) == []  # a read is no write
        assert not state.wrote and router.db_for_read(Account) == "replica1"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate(PRIMARY, "accounts")
    assert not router.allow_migrate("replica1", "accounts")


@pytest.fixture
def replica_picked(monkeypatch):
    """The middleware picks "replica1" for a request that may read from a replica."""
    monkeypatch.setattr(replicas, "replica_for_reads", lambda: "replica1")


def answering_where_it_reads(request) -> HttpResponse:
    return HttpResponse(reads_database())


def test_a_get_that_writes_reads_the_primary_after_it_and_marks_the_writer(replica_picked):
    seen = []

    def writing_view(request):
        seen.append(router.db_for_read(Account))
        make_user("writer")
        seen.append(router.db_for_read(Account))
        return HttpResponse()

    response = ReplicaReadsMiddleware(writing_view)(RequestFactory().get("/"))
    assert seen == ["replica1", PRIMARY]
    assert WROTE_COOKIE in response.cookies
    response = ReplicaReadsMiddleware(answering_where_it_reads)(RequestFactory().get("/"))
    assert response.content == b"replica1" and WROTE_COOKIE not in response.cookies


def test_whoever_wrote_reads_the_primary_until_the_window_ends(replica_picked):
    middleware = ReplicaReadsMiddleware(answering_where_it_reads)
    factory = RequestFactory()
    start = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)

    def get(cookie: str) -> bytes:
        request = factory.get("/")
        request.COOKIES[WROTE_COOKIE] = cookie
        return middleware(request).content

    with time_machine.travel(start, tick=False):
        response = middleware(factory.post("/"))
        assert response.content == PRIMARY.encode()
        wrote = response.cookies[WROTE_COOKIE].value
        assert get(wrote) == PRIMARY.encode()
        assert get("1") == b"replica1"  # a cookie Tandem did not sign counts for nothing
    later = start + datetime.timedelta(seconds=settings.REPLICA_PIN_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert get(wrote) == b"replica1"  # the signature's time ends it, whatever the client
