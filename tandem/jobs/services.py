"""Every write to jobs: asking for one, running it (the worker calls `execute`), giving it
another try, and starting scheduled ones exactly once."""

from __future__ import annotations

import datetime
import logging
import threading
import traceback
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tandem.core.errors import DomainError
from tandem.jobs import progress
from tandem.jobs.models import Job, JobStatus
from tandem.jobs.registry import KINDS, kind_of

log = logging.getLogger(__name__)


def enqueue(kind: str, /, *, requested_by=None, **params) -> Job:
    """Ask for a job; a worker takes it once the asking transaction commits (a job never
    runs on data its asker then rolled back)."""
    kind_of(kind)  # an unknown kind is refused here, not in the worker
    job = Job.objects.create(kind=kind, params=params, requested_by=requested_by)
    _hand_over(job)
    return job


def _hand_over(job: Job) -> None:
    if settings.JOBS_RUN_AT_ONCE:  # the tests: see run_the_asked_for
        with _asked_lock:
            _asked.append(str(job.pk))
        after_asking()
    else:
        transaction.on_commit(lambda: dispatch(job))


# The tests' stand-in for the queue (settings.JOBS_RUN_AT_ONCE): the jobs asked for, until
# `run_the_asked_for` runs them. A test's transaction never commits, so the tests run them
# where a worker would take them: when the asking code's transaction would have committed
# (conftest.py), and when a request starts or ends. Shared by the threads: a browser test
# writes in its own thread and reads through the live server's.
_asked: list[str] = []
_asked_lock = threading.Lock()


def nothing_to_do() -> None:
    pass


after_asking: Callable[[], None] = nothing_to_do  # the tests' hook (conftest.py)


def asked_for() -> bool:
    return bool(_asked)


def forget_the_asked_for() -> None:
    with _asked_lock:
        _asked.clear()


def run_the_asked_for() -> None:
    while True:
        with _asked_lock:
            if not _asked:
                return
            job_id = _asked.pop(0)
        while execute(job_id) is not None:  # a failed try: the next one at once
            pass


def enqueue_unless_waiting(kind: str) -> Job | None:
    """Ask for a job that takes no parameters, unless one of its kind waits already (it will
    see what the asker wrote): a refresh asked for by every write, done once for them all."""
    if Job.objects.filter(kind=kind, status=JobStatus.QUEUED).exists():
        return None
    return enqueue(kind)


def dispatch(job: Job, delay: int = 0) -> None:
    """Hand the job to the queue, with its kind's time limits."""
    # the queue's tasks call this module: it is imported when first needed, not at the top
    from tandem.jobs.queue import execute_job

    timeout = kind_of(job.kind).timeout
    execute_job.apply_async(
        (str(job.pk),), countdown=delay, soft_time_limit=timeout, time_limit=timeout + 30
    )


def execute(job_id: str) -> int | None:
    """Run the job once; the number of seconds before it should be tried again, or None
    when it needs no other try (done, given up, or already finished by another delivery).

    A job found running was begun by a worker that died: it is run again from the start
    (its function is idempotent), unless it has used up its tries."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        kind = KINDS.get(job.kind)
        if kind is None:  # asked for by a version of Tandem that had it
            _finish(job, JobStatus.FAILED, error=gettext_noop("No such kind of job any more."))
            return None
        if job.status == JobStatus.RUNNING and job.attempts >= kind.attempts:
            _finish(
                job,
                JobStatus.FAILED,
                error=job.error or gettext_noop("The worker running it was lost."),
            )
            return None
        job.status, job.attempts, job.started_at = JobStatus.RUNNING, job.attempts + 1, now()
        job.error = "" if job.attempts == 1 else job.error
        job.save(update_fields=["status", "attempts", "started_at", "error"])
    reporter = progress.Progress(str(job.pk))
    try:
        result = kind.function(reporter, **job.params)
    except Exception as error:  # any failure of the work, time limits included
        log.exception("job %s (%s) failed on try %s", job.pk, job.kind, job.attempts)
        text = "".join(traceback.format_exception_only(error)).strip()
        if job.attempts >= kind.attempts:
            _finish(job, JobStatus.FAILED, error=text)
            return None
        job.status, job.error = JobStatus.QUEUED, text
        job.save(update_fields=["status", "error"])
        return kind.delay_before(job.attempts + 1)
    _finish(job, JobStatus.DONE, result=result or {})
    return None


def _finish(job: Job, status: str, *, error: str = "", result: dict | None = None) -> None:
    job.status, job.finished_at = status, now()
    job.error = error if status == JobStatus.FAILED else job.error
    job.result = result if result is not None else job.result
    job.save(update_fields=["status", "finished_at", "error", "result"])


def retry(job: Job) -> Job:
    """Another try for a failed job, or one left behind: waiting (say, while the broker was
    down) or running past its time limit (its worker was stopped the hard way). The same kind
    and parameters, as a new job; the one left behind is marked failed."""
    if not may_retry(job):
        raise DomainError(_("Only a failed, waiting or stuck job can be tried again."))
    again = enqueue(job.kind, requested_by=job.requested_by, **job.params)
    if job.status != JobStatus.FAILED:
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=gettext_noop("Replaced by a new try."), finished_at=now()
        )
    return again


def may_retry(job: Job) -> bool:
    if job.status == JobStatus.RUNNING:
        limit = datetime.timedelta(seconds=kind_of(job.kind).timeout + 60)
        return job.started_at is not None and job.started_at < now() - limit
    return job.status in (JobStatus.FAILED, JobStatus.QUEUED)


def recover_lost() -> list[Job]:
    """Another try for each job left running past its time limit: whoever ran it is gone
    without a word (a hard time limit, or a whole worker killed; on the folder broker a
    worker keeps the message of the job it runs only in its memory, so nothing brings the job
    back). Each is marked failed and, while it has tries left, asked for again as a new job
    that goes on counting its tries; a late delivery of its old message finds it finished."""
    again = []
    for job in Job.objects.filter(status=JobStatus.RUNNING).order_by("started_at"):
        kind = KINDS.get(job.kind)
        if kind is None or not may_retry(job):
            continue
        with transaction.atomic():
            stuck = Job.objects.select_for_update().filter(pk=job.pk, status=JobStatus.RUNNING)
            if stuck.filter(started_at=job.started_at).first() is None:
                continue  # taken up again since: not lost
            _finish(job, JobStatus.FAILED, error=gettext_noop("The worker running it was lost."))
            if job.attempts < kind.attempts:
                new = Job.objects.create(
                    kind=job.kind,
                    params=job.params,
                    requested_by=job.requested_by,
                    attempts=job.attempts,
                )
                _hand_over(new)
                again.append(new)
    return again


def start_scheduled(name: str, moment: datetime.datetime | None = None) -> Job | None:
    """The scheduled job `name` for the due time `moment` belongs to, unless some scheduler
    has already started it: exactly once per due time, however many schedulers fire (the
    database refuses a second job for the same slot)."""
    kind = kind_of(name)
    if kind.schedule is None:
        raise LookupError(f"job {name!r} has no schedule")
    slot = f"{name}:{kind.schedule.slot(timezone.localtime(moment or now()))}"
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=name, schedule_slot=slot)
    except IntegrityError:
        return None
    _hand_over(job)
    return job


def start_due_at_start() -> list[Job]:
    """The scheduled jobs a starting worker catches up with (the day's work after a restart
    or on a new machine): each at most once per due time."""
    started = (start_scheduled(name) for name, kind in KINDS.items() if kind.at_start)
    return [job for job in started if job is not None]


def now() -> datetime.datetime:
    return timezone.now()
