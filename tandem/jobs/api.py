"""A job in the API: a large export or an import answers with 202 and the job's address;
the caller follows it here until it is done."""

import datetime
import uuid

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from tandem.core.api.errors import ERROR_RESPONSES
from tandem.jobs.models import JobStatus
from tandem.jobs.selectors import job_state, visible_jobs

router = Router()


class JobSchema(Schema):
    id: uuid.UUID
    kind: str
    status: JobStatus
    step: str = Field(description="What it is doing now (English).")
    done: int
    total: int
    percent: int | None = Field(description="How far it has come, when it can tell.")
    attempts: int = Field(description="Tries so far; a failed try is repeated after a pause.")
    error: str
    result: dict = Field(description="What it made, e.g. {file, rows} for an export.")
    queued_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None


@router.get(
    "/{job_id}", response={200: JobSchema, **ERROR_RESPONSES}, summary="A job and its progress"
)
def get_job(request: HttpRequest, job_id: uuid.UUID):
    return job_state(get_object_or_404(visible_jobs(request.auth), pk=job_id))
