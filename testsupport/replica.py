"""A real streaming replica of the PostgreSQL test cluster, for the tests of reads from replicas.

A second cluster on a free port, copied with `pg_basebackup -R` from the cluster that holds the
test database (so it holds the test database too, and follows it), started with `pg_ctl` as the
`postgres` user, stopped and deleted when the tests are done, also when they fail. It needs to run
as root on the machine of that cluster (CI does); otherwise its tests are skipped.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from testsupport.serving import free_port

# Debian's pg_hba.conf lets `postgres` into every database from 127.0.0.1, but `all` does not
# cover replication connections: this rule is added for as long as the replica runs.
REPLICATION_RULE = "host replication {user} 127.0.0.1/32 trust  # tandem's replica tests"
# A hot standby refuses to start with less of these than its primary has.
AT_LEAST_THE_PRIMARYS = [
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
]


def as_postgres(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *command], capture_output=True, text=True, timeout=120
    )


@dataclass
class Replica:
    """The replica's cluster, with what the tests do to it: pause and resume the replay of the
    primary's writes, stop and start it, wait until it has caught up."""

    primary_url: str
    bin_dir: Path
    data_dir: Path
    port: int

    def url(self, application: str = "") -> str:
        """The test database on the replica, as a URL."""
        database = connection.settings_dict
        return f"postgres://{database['USER']}@127.0.0.1:{self.port}/{database['NAME']}" + (
            f"?application_name={application}" if application else ""
        )

    def query(self, sql: str):
        with psycopg.connect(self.url(), autocommit=True) as replica:
            return replica.execute(sql).fetchone()

    def pause(self) -> None:
        self.query("SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + 10
        while self.query("SELECT pg_get_wal_replay_pause_state()")[0] != "paused":
            assert time.monotonic() < deadline, "the replica never paused its replay"
            time.sleep(0.05)

    def resume(self) -> None:
        self.query("SELECT pg_wal_replay_resume()")

    def catch_up(self, seconds: float = 30) -> None:
        """Wait until the replica has replayed everything the primary has written so far."""
        with psycopg.connect(self.primary_url, autocommit=True) as primary:
            (written,) = primary.execute("SELECT pg_current_wal_lsn()").fetchone()
        deadline = time.monotonic() + seconds
        while not self.query(f"SELECT pg_last_wal_replay_lsn() >= '{written}'::pg_lsn")[0]:
            assert time.monotonic() < deadline, "the replica never caught up"
            time.sleep(0.05)

    def start(self) -> None:
        started = self.pg_ctl("start", "-w", "-t", "60", "-l", str(self.data_dir / "log"))
        if started.returncode:
            log = self.data_dir / "log"
            pytest.fail(started.stderr + (log.read_text() if log.exists() else ""))

    def running(self) -> bool:
        return self.pg_ctl("status").returncode == 0

    def stop(self) -> None:
        self.pg_ctl("stop", "-m", "fast", "-w")

    def pg_ctl(self, *arguments: str) -> subprocess.CompletedProcess:
        return as_postgres(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), *arguments)


@contextlib.contextmanager
def streaming_replica():
    """A replica of the cluster of the (PostgreSQL) test database, running on a free port."""
    database = connection.settings_dict
    if os.geteuid() != 0 or database["HOST"] != "127.0.0.1":
        pytest.skip("a replica cluster is made as root, beside a test database at 127.0.0.1")
    primary_url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/postgres"
    with psycopg.connect(primary_url, autocommit=True) as primary:
        (version,) = primary.execute("SHOW server_version_num").fetchone()
        (hba_file,) = primary.execute("SHOW hba_file").fetchone()
        settings = {
            name: primary.execute(f"SHOW {name}").fetchone()[0] for name in AT_LEAST_THE_PRIMARYS
        }
    bin_dir = Path(f"/usr/lib/postgresql/{int(version) // 10000}/bin")
    data_dir = Path(tempfile.mkdtemp(prefix="tandem-replica-"))
    shutil.chown(data_dir, "postgres", "postgres")
    data_dir.chmod(0o700)
    hba, rule = Path(hba_file), REPLICATION_RULE.format(user=database["USER"])
    added_rule = not replication_allowed(primary_url)
    replica = Replica(primary_url, bin_dir, data_dir, free_port())
    try:
        if added_rule:
            with hba.open("a") as rules:
                rules.write(f"{rule}\n")
            reload_configuration(primary_url)
            deadline = time.monotonic() + 10
            while not replication_allowed(primary_url):
                assert time.monotonic() < deadline, f"{hba} allows no replication after a reload"
                time.sleep(0.05)
        copied = as_postgres(
            str(bin_dir / "pg_basebackup"),
            *("-h", database["HOST"], "-p", str(database["PORT"]), "-U", database["USER"]),
            *("-D", str(data_dir), "-R", "-X", "stream", "--checkpoint=fast"),
            # a copy thrown away after the tests: no waiting for its files to reach the disk
            *("--no-sync", "--no-manifest"),
        )
        if copied.returncode:
            pytest.fail(f"pg_basebackup failed: {copied.stderr}")
        # Debian keeps the configuration outside the data folder: the copy gets its own
        configuration = {
            "port": replica.port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{data_dir}'",
            "hot_standby": "on",
            "fsync": "off",
            **settings,
        }
        for name, text in {
            "postgresql.conf": "".join(
                f"{key} = {value}\n" for key, value in configuration.items()
            ),
            "pg_hba.conf": "local all all trust\nhost all all 127.0.0.1/32 trust\n",
            "pg_ident.conf": "",
        }.items():
            (data_dir / name).write_text(text)
            shutil.chown(data_dir / name, "postgres", "postgres")
        replica.start()
        replica.catch_up()
        yield replica
    finally:
        replica.pg_ctl("stop", "-m", "immediate", "-w")
        shutil.rmtree(data_dir, ignore_errors=True)
        if added_rule:
            hba.write_text(hba.read_text().replace(f"{rule}\n", ""))
            reload_configuration(primary_url)


def replication_allowed(primary_url: str) -> bool:
    try:
        psycopg.connect(primary_url, replication="true").close()
    except psycopg.OperationalError:
        return False
    return True


def reload_configuration(primary_url: str) -> None:
    with psycopg.connect(primary_url, autocommit=True) as primary:
        primary.execute("SELECT pg_reload_conf()")
