"""The queue with real workers (`tandem worker` processes) on the real brokers: on SQLite the
embedded default (folders in the data folder), on PostgreSQL Redis, as on several machines.

- a worker killed in the middle of an import, or of the day's work: the job is tried again and
  done once, the data written once and never half;
- two workers, each with its own schedule (Celery beat), on Redis and on the folder broker: the
  day's work starts once per due time;
- a whole worker killed (not only the process doing the job): on the folder broker the job's
  message went with it, and the periodic check gives the job another try once it is past its
  time limit.
"""

import contextlib
import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
import redis
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.utils import timezone

from tandem.accounts.models import Account, Tier
from tandem.jobs.models import JobStatus
from tandem.jobs.registry import Daily
from tandem.pipeline.models import Deal, Stage
from tandem.users.models import Role
from testsupport.builders import Org, make_user, seed_reference_data
from testsupport.datasets import MAVEN
from testsupport.serving import url_of_the_test_database

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WORKER = "tandem-test-worker"  # how the workers' connections are told from the others
# a database of Redis for these tests only
REDIS = os.environ.get("TANDEM_TEST_WORKERS_REDIS_URL", "redis://127.0.0.1:6379/9")
WAL_SPILLED = 256 * 1024  # bytes of log only a writing import puts there


class Machine:
    """The settings a set of processes shares: one database, one broker, one data folder."""

    def __init__(self, tmp_path: Path):
        self.env = dict(os.environ, TANDEM_DATA_DIR=str(tmp_path))
        self.env.pop("TANDEM_BROKER_URL", None)
        self.env.pop("TANDEM_CACHE_URL", None)
        self.queue = tmp_path / "queue" / "messages"  # the folder broker's messages
        self.sqlite: Path | None = None
        if connection.vendor == "postgresql":
            self.env["DATABASE_URL"] = url_of_the_test_database(WORKER)
        else:  # the test database lives in memory: the processes share a file copy of it
            self.sqlite = tmp_path / "tandem.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(self.sqlite) as copy:
                connection.connection.backup(copy)
            self.env["DATABASE_URL"] = f"sqlite:///{self.sqlite}"
        self.shared_cache: BaseCache
        if self.sqlite is None:  # as on several machines
            self.env["TANDEM_BROKER_URL"] = self.env["TANDEM_CACHE_URL"] = REDIS
            redis.Redis.from_url(REDIS).flushdb()
            self.shared_cache = RedisCache(REDIS, {})
        else:  # the embedded default: the queue and the shared cache in the data folder
            self.shared_cache = FileBasedCache(str(tmp_path / "cache" / "shared"), {})
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

    def jobs(self, kind: str) -> list[tuple[str, str, int]]:
        """(id, status, attempts) of every job of the kind, the first asked for first."""
        rows = self.query(
            "SELECT id, status, attempts FROM jobs_job WHERE kind = ? ORDER BY queued_at, id",
            [kind],
        )
        return [(str(uuid.UUID(str(pk))), status, attempts) for pk, status, attempts in rows]

    def count(self, table: str) -> int:
        [(rows,)] = self.query(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (our own names)
        return rows

    def progress(self, job_id: str) -> dict:
        """A running job's progress as its worker reported it (tandem.jobs.progress)."""
        return self.shared_cache.get(f"job-progress:{job_id}") or {}

    def writing(self) -> bool:
        """Whether a process is in the middle of a write transaction on the SQLite database (it
        holds the one write lock: taking it fails at once)."""
        assert self.sqlite is not None
        probe = sqlite3.connect(self.sqlite, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            assert "locked" in str(error), error
            return True
        finally:
            if probe.in_transaction:
                probe.execute("ROLLBACK")
            probe.close()
        return False

    def wait_for(self, condition, seconds: float, what: str, every: float = 0.1) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            for process in self.processes:
                if process.poll() is not None:
                    pytest.fail(f"a worker ended: {process.stdout.read().decode()}")
            if time.monotonic() > deadline:
                jobs = self.query("SELECT kind, status, attempts, error FROM jobs_job")
                pytest.fail(f"waited {seconds} s for {what}; the jobs: {jobs}")
            time.sleep(every)

    def stop(self) -> None:
        children = children_of_any(self.processes)  # before their parents go: then init's
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
        if self.sqlite is None:  # a killed worker's query may still run: the database goes next
            self.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?",
                [WORKER],
            )


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


def locks_held(machine: Machine, table: str, *, granted: bool, mode: str | None = None) -> bool:
    """Whether a worker's connection holds (or waits for) a lock on `table` (PostgreSQL)."""
    return bool(
        machine.query(
            "SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "JOIN pg_stat_activity a ON a.pid = l.pid WHERE c.relname = ? AND l.granted = ? "
            "AND (? IS NULL OR l.mode = ?) AND a.application_name = ?",
            [table, granted, mode, mode, WORKER],
        )
    )


@pytest.fixture
def key_accounts(transactional_db):
    """The personas' two teams, and a KAM's key accounts with won deals in the last two years:
    the day's work has every team's forecast to learn and every account's figures to compute."""
    seed_reference_data()
    org = Org()
    accounts = Account.objects.bulk_create(
        Account(owner=org.kim, name=f"Key account {n}", tier=Tier.KEY_ACCOUNT)
        for n in range(KEY_ACCOUNTS)
    )
    won, today = Stage.objects.get(code="won"), timezone.localdate()
    Deal.objects.bulk_create(
        Deal(
            owner=org.kim,
            account=account,
            stage=won,
            name=f"Order {n}",
            value=Decimal(1000 + 10 * n),
            created_on=today - datetime.timedelta(days=60 * n + 30),
            closed_on=today - datetime.timedelta(days=60 * n),
        )
        for account in accounts
        for n in range(12)
    )
    return org


@pytest.fixture
def day_machine(key_accounts, tmp_path):
    """A machine whose database holds the key accounts (built before it is copied)."""
    machine = Machine(tmp_path)
    yield machine
    machine.stop()


KEY_ACCOUNTS = 150
KAM_PERIODS = 6  # this and the last year, quarter and month (tandem.kam.figures)
FIGURES = "Computing every KAM's figures"  # the step as the job reports it (tandem/kam/jobs.py)


def writing_figures(machine: Machine, refresh: str) -> bool:
    """Whether the key-account refresh is in the middle of the KAM figures' transaction
    (SQLite): its rules evaluated, the figures not yet, and a write under way."""
    progress = machine.progress(refresh)
    return (progress.get("step"), progress.get("done")) == (FIGURES, 1) and machine.writing()


def test_a_worker_killed_in_the_middle_of_the_day_s_work_leaves_it_to_another_try(day_machine):
    """The day's work hands out its jobs; the key-account refresh is killed while it writes
    the KAM figures (after the rules' evaluation, committed on its own): the next try does
    it all again and every evaluation, figure and forecast is there once."""
    machine = day_machine
    gate = None
    if machine.sqlite is None:  # the refresh waits where it writes a period's values
        gate = psycopg.connect(url_of_the_test_database())
        gate.execute("LOCK TABLE kam_kamperiodfigures IN SHARE MODE")  # reads and row locks pass
    try:
        worker = machine.worker("--concurrency=1", "--no-schedule")
        nightly = machine.tandem("jobs", "start", "nightly")

        def writing_the_figures() -> bool:
            refresh = machine.jobs("keyaccounts.refresh")
            if not refresh or refresh[0][1] != JobStatus.RUNNING:
                return False
            if gate is not None:  # a period's figures written, its values waiting for the gate
                return locks_held(
                    machine, "kam_kamaccountfigures", granted=True, mode="RowExclusiveLock"
                ) and locks_held(machine, "kam_kamperiodfigures", granted=False)
            return writing_figures(machine, refresh[0][0])

        machine.wait_for(writing_the_figures, 45, "the KAM figures being written", every=0.01)
        [doing] = children_of(worker.pid)  # the pool's process doing the job: as the OOM killer
        worker.send_signal(signal.SIGSTOP)  # the worker waits while the test looks
        os.kill(int(doing), signal.SIGKILL)
    finally:
        if gate is not None:
            gate.close()
    if machine.sqlite is None:  # the killed try's session ends, its transaction rolled back
        machine.wait_for(
            lambda: not locks_held(machine, "kam_kamaccountfigures", granted=True),
            15,
            "the killed try's database session to end",
        )
    [(refresh_id, _, attempts)] = machine.jobs("keyaccounts.refresh")
    assert attempts == 1 and machine.progress(refresh_id)["done"] == 1  # killed in the middle
    assert machine.count("keyaccounts_ruleevaluation") == 1  # its first part, committed
    # the figures it had written went with its transaction
    assert machine.count("kam_kamaccountfigures") == machine.count("kam_kamperiodfigures") == 0

    worker.send_signal(signal.SIGCONT)
    machine.worker("--concurrency=1", "--no-schedule")  # and a second worker joins
    learned = 2 * 3  # months and quarters of the company and each of the two teams

    def all_done() -> bool:
        jobs = [machine.jobs(kind) for kind in ("nightly", "keyaccounts.refresh", "forecast.learn")]
        statuses = {status for of_kind in jobs for _, status, _ in of_kind}
        return len(jobs[2]) == learned and statuses == {JobStatus.DONE}

    machine.wait_for(all_done, 45, "the day's work to be done")
    assert machine.job(nightly)[:2] == (JobStatus.DONE, 1)
    assert [row[1:] for row in machine.jobs("keyaccounts.refresh")] == [(JobStatus.DONE, 2)]
    assert {row[1:] for row in machine.jobs("forecast.learn")} == {(JobStatus.DONE, 1)}
    assert len(machine.jobs("forecast.learn")) == learned

    [(hits, hit_rows)] = machine.query(
        "SELECT e.hit_count, (SELECT COUNT(*) FROM keyaccounts_rulehit h "
        "WHERE h.evaluation_id = e.id) FROM keyaccounts_ruleevaluation e"
    )
    assert hits == hit_rows
    periods = machine.query(
        "SELECT period, COUNT(*), COUNT(DISTINCT account_id) FROM kam_kamaccountfigures "
        "GROUP BY period"
    )
    assert len(periods) == KAM_PERIODS == machine.count("kam_kamperiodfigures")
    assert {tuple(rows) for _, *rows in periods} == {(KEY_ACCOUNTS, KEY_ACCOUNTS)}
    snapshots = machine.query(
        "SELECT scope, kind, COUNT(*) FROM forecast_forecastsnapshot GROUP BY scope, kind"
    )
    assert len(snapshots) == learned and {count for *_, count in snapshots} == {1}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="several machines: the PG run")
def test_two_schedules_on_redis_start_the_day_s_work_once_per_due_time(machine):
    two_schedules_start_the_day_s_work_once_per_due_time(machine)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded default: the SQLite run")
def test_two_schedules_on_the_folder_broker_start_the_day_s_work_once_per_due_time(machine):
    assert "TANDEM_BROKER_URL" not in machine.env
    two_schedules_start_the_day_s_work_once_per_due_time(machine)


def two_schedules_start_the_day_s_work_once_per_due_time(machine: Machine) -> None:
    """Two workers, each with its schedule: both catch up with the day's work as they start,
    and both fire when it is due (a minute or so from now); it starts once each time."""
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

    def nightly_slots() -> list[str]:
        return sorted(
            slot
            for (slot,) in machine.query(
                "SELECT schedule_slot FROM jobs_job WHERE kind = ?", ["nightly"]
            )
        )

    def both_started_and_done() -> bool:
        statuses = {status for (status,) in machine.query("SELECT status FROM jobs_job")}
        return nightly_slots() == sorted(slots) and statuses == {JobStatus.DONE}

    machine.wait_for(both_started_and_done, 150, "the day's work at " + nightly_at)
    time.sleep(3)  # the slower schedule fires too, a moment later
    assert nightly_slots() == sorted(slots)
    assert len(machine.jobs("keyaccounts.refresh")) == 2  # one per due time
    # what is due every minute started once for the minute both schedules fired in
    minute = f"{fired.date().isoformat()}T{at.hour:02}:{at.minute:02}"
    for kind in ("kpis.refresh", "kam.refresh_figures"):
        assert machine.query(
            "SELECT COUNT(*) FROM jobs_job WHERE schedule_slot = ?", [f"{kind}:{minute}"]
        ) == [(1,)]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded default: the SQLite run")
def test_a_whole_worker_killed_on_the_folder_broker_loses_the_job_until_the_periodic_check(
    day_machine,
):
    """Kombu's folder broker hands a message over by deleting its file: until the job is done
    it lives only in the worker's memory. Killed whole (not only the process doing the job),
    the worker takes it along, and no other worker ever gets it; the periodic check tries the
    job again once it is past its time limit."""
    machine = day_machine
    worker = machine.worker("--concurrency=1", "--no-schedule")
    refresh = machine.tandem("jobs", "start", "keyaccounts.refresh")

    machine.wait_for(
        lambda: writing_figures(machine, refresh), 45, "the KAM figures being written", every=0.01
    )
    doing = children_of(worker.pid)
    worker.send_signal(signal.SIGKILL)  # the worker first: it has no time to give the job back
    for pid in doing:
        os.kill(int(pid), signal.SIGKILL)
    worker.wait(timeout=10)
    machine.processes.remove(worker)
    assert machine.job(refresh)[:2] == (JobStatus.RUNNING, 1)
    assert machine.count("kam_kamperiodfigures") == 0  # killed in the middle of writing them
    assert list(machine.queue.iterdir()) == []  # its message went with the worker

    machine.worker("--concurrency=1", "--no-schedule")
    later = machine.tandem("jobs", "start", "users.token_use")
    machine.wait_for(lambda: machine.job(later)[0] == JobStatus.DONE, 45, "the next worker")
    assert machine.job(refresh)[:2] == (JobStatus.RUNNING, 1)  # still: nobody will take it

    limit = datetime.timedelta(seconds=3600 + 61)  # keyaccounts.refresh's, and a grace minute
    started = (timezone.now() - limit).replace(tzinfo=None).isoformat(" ")  # as SQLite keeps it
    machine.query(
        "UPDATE jobs_job SET started_at = ? WHERE id = ?", [started, uuid.UUID(refresh).hex]
    )
    check = machine.tandem("jobs", "start", "jobs.recover")
    machine.wait_for(lambda: machine.job(check)[0] == JobStatus.DONE, 45, "the periodic check")
    assert machine.job(refresh) == (JobStatus.FAILED, 1, "The worker running it was lost.")
    [_, (again, _, _)] = machine.jobs("keyaccounts.refresh")
    machine.wait_for(lambda: machine.job(again)[0] == JobStatus.DONE, 45, "the new try")
    assert machine.job(again)[:2] == (JobStatus.DONE, 2)  # its tries go on being counted
    assert machine.count("keyaccounts_ruleevaluation") == 1
    assert machine.count("kam_kamperiodfigures") == KAM_PERIODS
    assert machine.count("kam_kamaccountfigures") == KAM_PERIODS * KEY_ACCOUNTS
