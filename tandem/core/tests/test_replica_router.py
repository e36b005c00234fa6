"""Where the replica router sends each query, on SQLite and PostgreSQL alike: no replica needs to
answer here, the router only names one (test_replicas.py reads from a real one)."""

import os

import pytest
from django.conf import settings
from django.db import connection, transaction

from tandem.accounts.models import Account
from tandem.core.replicas import PRIMARY, ReplicaRouter, reading, reads_database
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
