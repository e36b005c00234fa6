"""The forecast's background work: the day's forecast of one team, or of the company."""

import datetime

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tandem.forecast.selectors import precompute_scope
from tandem.jobs.registry import job


@job("forecast.learn", _("Learning a forecast"), timeout=1800, attempts=3)
def learn(progress, kind: str, team: int | None = None, day: str | None = None) -> dict:
    progress.step(gettext_noop("Learning the forecast"), 0, 1)
    precompute_scope(kind, team, datetime.date.fromisoformat(day) if day else None)
    progress.step(gettext_noop("Learning the forecast"), 1, 1)
    return {"kind": kind, "team": team}
