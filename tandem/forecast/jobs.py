"""The forecast's background work: the day's forecast of one team or of the company (the
day's work hands out one job each), and the forecasts a person asks for on their page."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tandem.forecast import services
from tandem.forecast.selectors import LEARN, LEARN_FOR
from tandem.jobs.registry import job
from tandem.users.models import User


def _day(day: str | None) -> datetime.date:
    return datetime.date.fromisoformat(day) if day else timezone.localdate()


@job(LEARN, _("Learning a forecast"), timeout=1800, attempts=3)
def learn(progress, kind: str, team: int | None = None, day: str | None = None) -> dict:
    progress.step(gettext_noop("Learning the forecast"), 0, 1)
    services.learn_company_or_team(kind, team, _day(day))
    progress.step(gettext_noop("Learning the forecast"), 1, 1)
    return {"kind": kind, "team": team}


@job(LEARN_FOR, _("Learning your forecast"), timeout=1800, attempts=3)
def learn_for(progress, user: int, kind: str, day: str, teams: list) -> dict:
    """The forecasts one person's page shows (None: their whole scope), one after the other."""
    asker = User.objects.filter(pk=user).first()
    if asker is None:
        return {"kind": kind, "teams": []}
    for done, team in enumerate(teams):
        progress.step(gettext_noop("Learning the forecast"), done, len(teams))
        services.learn_for(asker, kind, _day(day), team)
    progress.step(gettext_noop("Learning the forecast"), len(teams), len(teams))
    return {"kind": kind, "teams": teams}
