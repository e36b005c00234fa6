"""The jobs in the web: one job with its progress bar (and its file when it made one), and
for admins every job that waits, runs or failed, with a button to try a failed one again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import DomainError
from tandem.core.lists import is_htmx, paginate
from tandem.jobs import services
from tandem.jobs.models import Job, JobStatus
from tandem.jobs.registry import KINDS
from tandem.jobs.selectors import may_see_every_job, shown_state, visible_jobs

PAGE_SIZE = 50


def _shown(job: Job) -> dict:
    kind = KINDS.get(job.kind)
    state = shown_state(job)
    return {
        "job": job,
        "label": kind.label if kind else job.kind,
        "state": state,
        "step": state["step"],
        "error": _(job.error) if job.error else "",
        "file": job.result.get("file") if job.status == JobStatus.DONE else None,
        "may_retry": kind is not None and services.may_retry(job),
    }


@login_required
def job_list(request):
    if not may_see_every_job(request.user):
        raise PermissionDenied
    shown = request.GET.get("status") or "unfinished"
    jobs = visible_jobs(request.user)
    if shown in JobStatus.values:
        jobs = jobs.filter(status=shown)
    elif shown != "all":
        jobs = jobs.exclude(status=JobStatus.DONE)
    page = paginate(request, jobs, PAGE_SIZE)
    return render(
        request,
        "jobs/job_list.html",
        {
            "page": page,
            "jobs": [_shown(job) for job in page.object_list],
            "shown": shown,
            "statuses": JobStatus.choices,
        },
    )


@login_required
def job_detail(request, pk):
    job = get_object_or_404(visible_jobs(request.user), pk=pk)
    template = "jobs/_job_state.html" if is_htmx(request) else "jobs/job_detail.html"
    return render(request, template, _shown(job))


@login_required
def job_download(request, pk):
    job = get_object_or_404(visible_jobs(request.user), pk=pk)
    name = job.result.get("file") if job.status == JobStatus.DONE else None
    if not name or not default_storage.exists(name):
        raise Http404("The job made no file, or it is gone.")
    return FileResponse(
        default_storage.open(name, "rb"), as_attachment=True, filename=name.rsplit("/", 1)[-1]
    )


@login_required
@require_POST
def job_retry(request, pk):
    if not may_see_every_job(request.user):
        raise PermissionDenied
    job = get_object_or_404(Job, pk=pk)
    try:
        again = services.retry(job)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("jobs:job_list")
    messages.success(request, _("The job is tried again."))
    return redirect("jobs:job", pk=again.pk)
