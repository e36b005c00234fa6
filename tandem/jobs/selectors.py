"""Every read of jobs, scoped to who asks: admins see every job, anyone else the jobs they
asked for (an export, an import)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext

from tandem.jobs import progress
from tandem.jobs.models import Job, JobStatus
from tandem.users.models import Role, User


def may_see_every_job(user: User) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


def visible_jobs(user: User) -> QuerySet[Job]:
    jobs = Job.objects.select_related("requested_by")
    return jobs if may_see_every_job(user) else jobs.filter(requested_by=user)


def job_state(job: Job) -> dict:
    """What a progress bar shows: status, step, done of total and the percentage."""
    reported = progress.progress_of(job.pk) if job.status == JobStatus.RUNNING else {}
    done, total = reported.get("done", 0), reported.get("total", 0)
    percent = 100 if job.status == JobStatus.DONE else (100 * done // total if total else None)
    return {
        "id": str(job.pk),
        "kind": job.kind,
        "status": job.status,
        "step": reported.get("step", ""),
        "done": done,
        "total": total,
        "percent": percent,
        "attempts": job.attempts,
        "error": job.error,
        "result": job.result,
        "queued_at": job.queued_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def shown_state(job: Job | None) -> dict | None:
    """`job_state` as a page shows it: the step in the reader's language (a job reports its
    steps untranslated, as the API and the command line hand them on)."""
    if job is None:
        return None
    state = job_state(job)
    state["step"] = gettext(state["step"]) if state["step"] else ""
    return state
