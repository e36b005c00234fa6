"""`tandem jobs`: the background jobs that are waiting, running or failed (`--all`: the done
ones too); `tandem jobs show ID [--follow]` prints one with its progress, `--follow` until it
ends; `tandem jobs retry ID` tries a failed one again; `tandem jobs start KIND [--param
name=value …]` asks for one now (a value is read as JSON where it is JSON: `--param team=3`)."""

import json
import time
import uuid

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.commands import TandemCommand
from tandem.core.errors import DomainError
from tandem.jobs import services
from tandem.jobs.models import Job, JobStatus
from tandem.jobs.selectors import job_state

HELP = gettext_lazy("List the background jobs, follow one, or try a failed one again.")
UNFINISHED = [JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED]


def parameter(text: str) -> tuple[str, object]:
    name, equals, value = text.partition("=")
    if not equals or not name:
        raise CommandError(_("A parameter is written NAME=VALUE: {text}").format(text=text))
    try:
        return name, json.loads(value)
    except ValueError:
        return name, value


class Command(TandemCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument(
            "action", nargs="?", choices=["list", "show", "retry", "start"], default="list"
        )
        parser.add_argument("job", nargs="?", help=gettext_lazy("the job's id (start: its kind)"))
        parser.add_argument(
            "--param", action="append", default=[], metavar="NAME=VALUE", type=parameter
        )
        parser.add_argument("--all", action="store_true", help=gettext_lazy("done jobs too"))
        parser.add_argument("--limit", type=int, default=50)
        parser.add_argument(
            "--follow", action="store_true", help=gettext_lazy("print its progress until it ends")
        )

    def handle(self, *args, action: str, job: str | None, **options):
        if action == "list":
            self.list(options["all"], options["limit"])
            return
        if action == "start":
            try:
                started = services.enqueue(job or "", **dict(options["param"]))
            except LookupError:
                raise CommandError(_("No job of the kind {kind}.").format(kind=job)) from None
            self.stdout.write(str(started.pk))
            return
        found = self.job(job)
        if action == "retry":
            try:
                again = services.retry(found)
            except DomainError as error:
                raise CommandError(error.message) from None
            self.stdout.write(_("Tried again as job {id}.").format(id=again.pk))
            return
        self.show(found)
        while options["follow"] and not found.finished:
            time.sleep(1)
            found.refresh_from_db()
            self.show(found)
        if found.status == JobStatus.FAILED:
            raise CommandError(_("The job failed: {error}").format(error=_(found.error)))

    def job(self, text: str | None) -> Job:
        try:
            return Job.objects.get(pk=uuid.UUID(text or ""))
        except (ValueError, Job.DoesNotExist):
            raise CommandError(_("No job with the id {id}.").format(id=text)) from None

    def list(self, everything: bool, limit: int) -> None:
        jobs = Job.objects.all() if everything else Job.objects.filter(status__in=UNFINISHED)
        shown = list(jobs[:limit])
        for job in shown:
            line = f"{job.pk}  {job.get_status_display():<10} {job.kind:<22} "
            line += timezone.localtime(job.queued_at).strftime("%Y-%m-%d %H:%M")
            if job.attempts > 1:
                line += "  " + _("try {n}").format(n=job.attempts)
            if job.status == JobStatus.FAILED:
                line += "  " + _(job.error).splitlines()[-1] if job.error else ""
            self.stdout.write(line)
        if not shown:
            self.stdout.write(_("No jobs."))

    def show(self, job: Job) -> None:
        state = job_state(job)
        line = f"{job.kind} {job.get_status_display()}"
        if state["step"]:
            line += f": {_(state['step'])}"
        if state["total"]:
            line += f" {state['done']}/{state['total']}"
        if state["percent"] is not None:
            line += f" ({state['percent']} %)"
        self.stdout.write(line)
