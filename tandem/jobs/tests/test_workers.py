"""The queue with real workers (`tandem worker` processes) on the real brokers: on SQLite the
embedded default (folders in the data folder), on PostgreSQL Redis, as on several machines.

- a worker killed in the middle of an import: the job is tried again and done once, the data
  imported once;
- two workers, each with its own schedule (Celery beat): the day's work starts once per due time.
"""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.utils import timezone

from tandem.jobs.models import Job, JobStatus
from tandem.jobs.registry import Daily
from tandem.users.models import Role
from testsupport.builders import make_user, seed_reference_data
from testsupport.datasets import MAVEN
from testsupport.serving import url_of_the_test_database

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WORKER = "tandem-test-worker"  # how the workers' connections are told from the others
REDIS = "redis://127.0.0.1:6379/9"  # a database of Redis for these tests only
WAL_SPILLED = 256 * 1024  # bytes of log only a writing import puts there


class Machine:
    """The settings a set of processes shares: one database, one broker, one data folder."""

    def __init__(self, tmp_path: Path):
        self.env = dict(os.environ, TANDEM_DATA_DIR=str(tmp_path))
        self.env.pop("TANDEM_BROKER_URL", None)
        if connection.vendor == "postgresql":
            self.env["DATABASE_URL"] = url_of_the_test_database(WORKER)
            self.env["TANDEM_BROKER_URL"] = self.env["TANDEM_CACHE_URL"] = REDIS
            redis.Redis.from_url(REDIS).flushdb()
            self.sqlite = None
        else:  # the test database lives in memory: the processes share a file copy of it
            self.sqlite = tmp_path / "tandem.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(self.sqlite) as copy:
                connection.connection.backup(copy)
            self.env["DATABASE_URL"] = f"sqlite:///{self.sqlite}"
        self.processes: list[subprocess.Popen] = []

    def tandem(self, *args: str, **env) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "tandem", *args],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout.strip()

    def worker(self, *args: str, **env) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "tandem", "worker", "--loglevel=WARNING", *args],
            env={**self.env, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def query(self, sql: str, params=()) -> list[tuple]:
        if self.sqlite is None:
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return cursor.fetchall()
        with sqlite3.connect(self.sqlite, timeout=20) as db:
            return db.execute(sql, params).fetchall()

    def job(self, job_id: str) -> tuple:
        key = job_id if self.sqlite is None else uuid.UUID(job_id).hex  # SQLite: 32 hex digits
        [row] = self.query("SELECT status, attempts, error FROM jobs_job WHERE id = ?", [key])
        return row

    def wait_for(self, condition, seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            for process in self.processes:
                if process.poll() is not None:
                    pytest.fail(f"a worker ended: {process.stdout.read().decode()}")
            if time.monotonic() > deadline:
                pytest.fail(f"waited {seconds} s for {what}")
            time.sleep(0.1)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)
        for pid in children_of_any(self.processes):
            os.kill(int(pid), signal.SIGKILL)


def children_of(pid: int) -> list[str]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as stat:
                    parent = stat.read().rsplit(")", 1)[1].split()[1]
            except OSError:
                continue
            if parent == str(pid):
                found.append(entry.name)
    return found


def children_of_any(processes) -> list[str]:
    return [pid for process in processes for pid in children_of(process.pid)]


@pytest.fixture
def machine(tmp_path):
    seed_reference_data()  # an earlier transactional test may have emptied the database
    make_user("job-admin", role=Role.ADMIN)
    machine = Machine(tmp_path)
    yield machine
    machine.stop()


def test_a_worker_killed_in_the_middle_of_an_import_leaves_it_to_another_try(machine):
    worker = machine.worker("--concurrency=1", "--no-schedule")
    [(admin,)] = machine.query("SELECT id FROM users_user WHERE username = 'job-admin'")
    job_id = machine.tandem(
        "jobs", "start", "imports.maven", "--param", f"path={MAVEN}", "--param", f"user={admin}"
    )

    def importing() -> bool:
        if machine.sqlite is not None:
            wal = Path(f"{machine.sqlite}-wal")
            return wal.exists() and wal.stat().st_size > WAL_SPILLED
        return bool(
            machine.query(
                "SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "JOIN pg_stat_activity a ON a.pid = l.pid WHERE c.relname = 'pipeline_deal' "
                "AND l.mode = 'RowExclusiveLock' AND a.application_name = ?",
                [WORKER],
            )
        )

    machine.wait_for(importing, 90, "the import to begin writing")
    [doing] = children_of(worker.pid)  # the pool's process doing the job: as the OOM killer
    os.kill(int(doing), signal.SIGKILL)

    machine.wait_for(lambda: machine.job(job_id)[0] == JobStatus.DONE, 180, "the next try")
    status, attempts, error = machine.job(job_id)
    assert attempts == 2, error
    runs = machine.query("SELECT status FROM imports_importrun WHERE kind = 'maven'")
    assert runs == [("succeeded",)]  # the first try left no run behind, and nothing twice
    [(deals,)] = machine.query("SELECT COUNT(*) FROM pipeline_deal")
    assert deals == 8800  # the Maven sample's deals, once


@pytest.mark.skipif(connection.vendor != "postgresql", reason="several machines: the PG run")
def test_two_schedules_start_the_day_s_work_once_per_due_time(machine):
    started = timezone.localtime()
    at = (started + datetime.timedelta(minutes=1)).time().replace(second=0, microsecond=0)
    if (started + datetime.timedelta(minutes=1)).second > 50:  # too near the minute: one more
        at = (started + datetime.timedelta(minutes=2)).time().replace(second=0, microsecond=0)
    nightly_at = at.strftime("%H:%M")
    for _ in range(2):
        machine.worker("--concurrency=1", TANDEM_NIGHTLY_AT=nightly_at)
    fired = timezone.localtime().replace(hour=at.hour, minute=at.minute, second=5)
    due = Daily(at)
    slots = {f"nightly:{due.slot(started)}", f"nightly:{due.slot(fired)}"}
    assert len(slots) == 2  # the one a starting worker catches up with, and the one due now

    def both_started_and_done() -> bool:
        nightly = Job.objects.filter(kind="nightly")
        return (
            set(nightly.values_list("schedule_slot", flat=True)) == slots
            and not Job.objects.exclude(status=JobStatus.DONE).exists()
        )

    machine.wait_for(both_started_and_done, 150, "the day's work at " + nightly_at)
    time.sleep(3)  # the slower schedule fires too, a moment later
    nightly = Job.objects.filter(kind="nightly")
    assert sorted(nightly.values_list("schedule_slot", flat=True)) == sorted(slots)
    assert Job.objects.filter(kind="keyaccounts.refresh").count() == 2  # one per due time
