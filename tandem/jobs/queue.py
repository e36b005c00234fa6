"""Celery, the queue the workers take jobs from (docs/operations.md says why Celery).

The broker is `TANDEM_BROKER_URL` (Redis or RabbitMQ) where Tandem runs on several machines;
without it, folders in the data folder on this machine (kombu's file transport), so that the
embedded default needs no server of its own. Messages carry only a job's id: the job's state
lives in the database (tandem.jobs.models.Job).
"""

from celery import Celery, signals

from tandem.jobs import services
from tandem.jobs.registry import KINDS

app = Celery("tandem")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="tandem.jobs.execute", bind=True, acks_late=True, reject_on_worker_lost=True)
def execute_job(task, job_id: str) -> None:
    """Run a job; a failure comes back after a pause that doubles with each try. A worker that
    dies mid-job leaves the message unacknowledged: the broker gives it to another worker."""
    delay = services.execute(job_id)
    if delay is not None:
        raise task.retry(countdown=delay, max_retries=None)


@app.task(name="tandem.jobs.start_scheduled")
def start_scheduled(name: str) -> None:
    """What the schedule (Celery beat) sends when a job is due."""
    services.start_scheduled(name)


@signals.worker_ready.connect
def _catch_up(sender, **kwargs) -> None:
    """A worker that runs the schedule catches up with what was due while none ran."""
    if sender.app.conf.beat_schedule:
        services.start_due_at_start()


def beat_schedule() -> dict:
    """Celery beat's schedule: every declared job that has one."""
    return {
        name: {
            "task": "tandem.jobs.start_scheduled",
            "schedule": kind.schedule.crontab(),
            "args": (name,),
        }
        for name, kind in KINDS.items()
        if kind.schedule is not None
    }
