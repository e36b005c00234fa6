"""The queue's own jobs: sending an e-mail, clearing away old jobs, and giving jobs whose
worker was lost another try."""

import datetime

from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.utils.translation import gettext_lazy as _

from tandem.jobs.models import Job, JobStatus
from tandem.jobs.registry import Daily, Every, job
from tandem.jobs.services import now, recover_lost

KEEP_DONE = datetime.timedelta(days=7)
KEEP_FAILED = datetime.timedelta(days=90)


@job("mail.send", _("An e-mail"), timeout=60, attempts=5, backoff=30)
def send(progress, to: list[str], subject: str, body: str) -> dict:
    """A mail server that is down for a while costs tries, not the message."""
    return {"sent": send_mail(subject, body, None, to)}


@job("jobs.prune", _("Old jobs cleared away"), schedule=Daily(datetime.time(3, 15)))
def prune(progress) -> dict:
    """Done jobs are kept a week, failed ones three months (time to look at them); the files
    they made (exports) go with them."""
    done = Job.objects.filter(status=JobStatus.DONE, finished_at__lt=now() - KEEP_DONE)
    failed = Job.objects.filter(status=JobStatus.FAILED, finished_at__lt=now() - KEEP_FAILED)
    for made in done.exclude(result__file=None).values_list("result__file", flat=True):
        if made:
            default_storage.delete(made)
    return {"done": done.delete()[0], "failed": failed.delete()[0]}


@job(
    "jobs.recover",
    _("Jobs whose worker was lost tried again"),
    schedule=Every(minutes=5),
    at_start=True,
)
def recover(progress) -> dict:
    """Every few minutes, and as a worker starts: jobs left running past their time limit
    (services.recover_lost)."""
    return {"tried_again": [str(again.pk) for again in recover_lost()]}
