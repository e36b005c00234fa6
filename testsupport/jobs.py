"""Running queued jobs inside a test: the worker's own `execute`, in the test's transaction,
without a broker (the queue proper is tested with real workers in tandem/jobs/tests)."""

from tandem.jobs.models import Job, JobStatus
from tandem.jobs.services import execute


def run_queued(limit: int = 1000) -> list[Job]:
    """Run every waiting job, and the jobs they ask for, until none waits; a failing job is
    tried again at once (no pause) until it is done or given up. Returns the jobs run."""
    ran: dict = {}
    for _ in range(limit):
        waiting = Job.objects.filter(status=JobStatus.QUEUED).order_by("queued_at").first()
        if waiting is None:
            break
        execute(str(waiting.pk))
        ran[waiting.pk] = waiting
    else:
        raise AssertionError(f"jobs still waiting after {limit} runs")
    return list(Job.objects.filter(pk__in=list(ran)).order_by("queued_at"))
