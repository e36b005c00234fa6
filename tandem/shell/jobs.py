"""The day's work, scheduled: done ahead of the first page view, so that nobody waits for it."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tandem.forecast.engine import PERIOD_KINDS
from tandem.jobs.registry import Daily, Every, job
from tandem.jobs.services import enqueue
from tandem.users.models import Team
from tandem.users.services import store_token_use


@job(
    "nightly",
    _("The day's work"),
    schedule=Daily(settings.NIGHTLY_AT),
    at_start=True,
    timeout=300,
)
def nightly(progress) -> dict:
    """Hands out the day's work as jobs of their own, which the workers do side by side: the
    forecast of the company and of every team for months and quarters, and the key-account
    rules with every KAM's figures."""
    progress.step(gettext_noop("Handing out the day's work"))
    day = timezone.localdate().isoformat()
    teams = [None, *Team.objects.order_by("pk").values_list("pk", flat=True)]
    with transaction.atomic():  # all or none: a try cut short leaves no half handed out
        asked = [enqueue("keyaccounts.refresh")]
        asked += [
            enqueue("forecast.learn", kind=kind, team=team, day=day)
            for kind in PERIOD_KINDS
            for team in teams
        ]
    return {"day": day, "jobs": [str(job.pk) for job in asked]}


@job("users.token_use", _("When API tokens were last used"), schedule=Every(minutes=5))
def token_use(progress) -> dict:
    """API requests that only read note a token's use in the shared cache, never in the
    database: written down here, every five minutes."""
    return {"tokens": store_token_use()}
