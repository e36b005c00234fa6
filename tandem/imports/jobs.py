"""Imports as background jobs (an upload in the web, or `tandem jobs start`): all-or-nothing
like every import, so a try cut short leaves nothing and the next try starts clean."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tandem.imports.maven import import_maven
from tandem.jobs.registry import job
from tandem.users.models import User


@job("imports.maven", _("Import of the Maven CRM data"), timeout=3600, attempts=3)
def maven(progress, path: str, user: int) -> dict:
    progress.step(gettext_noop("Importing"), 0, 1)
    result = import_maven(path, acting_user=User.objects.get(pk=user))
    progress.step(gettext_noop("Importing"), 1, 1)
    return {"import_run": result.run.pk if result.run else None, "status": result.status}
