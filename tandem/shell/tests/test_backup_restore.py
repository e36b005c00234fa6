"""A backup restores to the same Tandem: pg_dump of the demo, pg_restore into a new database.

The demo is built (`tandem demo`, the smallest scale) into a database of its own, dumped with
`pg_dump -Fc` and restored with `pg_restore` into another new database, exactly as
docs/operations.md tells. The copy must hold the same rows in every table, continue every id
sequence where the original stands, and give the same KPIs (`tandem kpis --format json`, each
database asked by a process of its own). Both databases are dropped at the end, even on failure.
"""

import json
import os
import subprocess
import sys

import psycopg
import pytest
from django.db import connection

from testsupport.serving import url_of_the_test_database

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pg_dump and pg_restore back up PostgreSQL"
    ),
    pytest.mark.django_db,  # the test database's server makes and drops the two databases
]

TODAY = "2026-06-30"
PERIODS = {"sales": "2026Q2", "kam": "2026"}


def database_url(name: str) -> str:
    return url_of_the_test_database().rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture
def new_databases():
    """Two new, empty databases beside the test database; dropped afterwards, whatever happens."""
    names = [f"{connection.settings_dict['NAME']}_{part}" for part in ["original", "restored"]]
    with psycopg.connect(url_of_the_test_database(), autocommit=True) as server:
        try:
            for name in names:
                server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                server.execute(f'CREATE DATABASE "{name}"')
            yield [database_url(name) for name in names]
        finally:
            for name in names:
                server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def tandem(url: str, data_dir, *arguments: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")}
    env.update(DATABASE_URL=url, TANDEM_DATA_DIR=str(data_dir), TANDEM_SECRET_KEY="backups")
    return subprocess.Popen(
        [sys.executable, "-m", "tandem", *arguments],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, out + err
    return out


def run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def contents(url: str) -> dict:
    """Rows per table and where each sequence stands: what a restore must bring back."""
    with psycopg.connect(url) as database:
        tables = database.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
        rows = {
            table: database.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for (table,) in tables
        }
        sequences = dict(
            database.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall()
        )
    return {"rows": rows, "sequences": sequences}


def kpis(urls: list[str], data_dir) -> dict[tuple[str, str], dict]:
    """Each role's KPIs as JSON from each database, every one asked by a process of its own."""
    asked = {
        (url, role): tandem(
            url, data_dir, "kpis", "--role", role, "--period", period, "--format", "json"
        )
        for url in urls
        for role, period in PERIODS.items()
    }
    return {key: json.loads(finished(process)) for key, process in asked.items()}


def test_a_restored_backup_gives_the_same_answers(new_databases, tmp_path):
    original, restored = new_databases
    finished(tandem(original, tmp_path, "demo", "--today", TODAY))
    dump = tmp_path / "tandem.dump"

    run("pg_dump", "--format=custom", "--file", str(dump), "--dbname", original)
    run("pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored, str(dump))

    before, after = contents(original), contents(restored)
    assert before["rows"]["pipeline_deal"] > 3000 and before["sequences"]
    assert after == before

    answers = kpis([original, restored], tmp_path)
    assert answers[original, "sales"]["company"]["deals_won"] > 0
    assert answers[original, "kam"]["company"]["accounts"] > 0
    for role in PERIODS:
        assert answers[restored, role] == answers[original, role], role
