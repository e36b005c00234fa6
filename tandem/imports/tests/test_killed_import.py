"""An import killed with SIGKILL halfway leaves nothing of itself, on SQLite and PostgreSQL.

The import runs as `tandem import maven` in a process of its own against the test database (on
SQLite a file copy of it, as the test database lives in memory). It is killed once the database
shows that it has begun writing: on PostgreSQL when it holds a write lock on the deals, on SQLite
when its uncommitted pages spill into the write-ahead log. Afterwards every table holds what it
held before, and the database takes writes again.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tandem.users.models import Role
from testsupport.builders import make_user, seed_reference_data
from testsupport.datasets import MAVEN
from testsupport.serving import url_of_the_test_database

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

IMPORT = "tandem-killed-import"  # how the import's connection is told from the others
WAL_SPILLED = 256 * 1024  # bytes of log only a writing import puts there (a connection: 0)


def fingerprint(cursor, tables: list[str]) -> dict[str, tuple]:
    """The rows of every table: what an import that left anything behind would change."""
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()
    return counts


def start_import(database_url: str, data_dir: Path) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=database_url, TANDEM_DATA_DIR=str(data_dir))
    return subprocess.Popen(
        [sys.executable, "-m", "tandem", "import", "maven", str(MAVEN), "--no-progress"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def kill_when(process: subprocess.Popen, writing, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not writing():
        if process.poll() is not None:
            pytest.fail(
                "the import ended before it could be killed:\n" + process.stdout.read().decode()
            )
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the import never began writing")
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL


@pytest.fixture
def admin():
    seed_reference_data()  # an earlier transactional test may have emptied the database
    return make_user("import-admin", role=Role.ADMIN)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run")
def test_a_killed_import_leaves_nothing_on_postgresql(admin, tmp_path):
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        before = fingerprint(cursor, tables)
    process = start_import(url_of_the_test_database(IMPORT), tmp_path)

    def deals_locked_by_the_import() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE c.relname = 'pipeline_deal' AND l.mode = 'RowExclusiveLock' "
                "AND a.application_name = %s",
                [IMPORT],
            )
            return cursor.fetchone() is not None

    kill_when(process, deals_locked_by_the_import)

    # The server ends the dead client's session and rolls its transaction back.
    deadline = time.monotonic() + 30
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = %s", [IMPORT]
            )
            if cursor.fetchone()[0] == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert fingerprint(cursor, tables) == before
        # nothing holds a lock any more: a write goes through at once
        cursor.execute("SET lock_timeout = '2s'")
        cursor.execute("UPDATE users_user SET first_name = 'after' WHERE id = %s", [admin.pk])
        cursor.execute("RESET lock_timeout")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite run")
def test_a_killed_import_leaves_nothing_on_sqlite(admin, tmp_path):
    path = tmp_path / "tandem.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)  # the in-memory test database, admin included
    copy = sqlite3.connect(path)
    tables = [
        name
        for (name,) in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not name.startswith("sqlite_")
    ]
    before = fingerprint(copy.cursor(), tables)
    copy.close()
    process = start_import(f"sqlite:///{path}", tmp_path)
    wal = Path(f"{path}-wal")

    kill_when(process, lambda: wal.exists() and wal.stat().st_size > WAL_SPILLED)

    copy = sqlite3.connect(path)
    try:
        assert fingerprint(copy.cursor(), tables) == before
        with copy:  # the database takes a write again: the dead writer's lock is gone
            copy.execute("UPDATE users_user SET first_name = 'after' WHERE id = ?", [admin.pk])
    finally:
        copy.close()
