"""Writes of the forecast app: a deal's forecast category, set by its owner, adjusted by a
manager, both kept with who and when in the audit trail; and the forecasts learned and kept
(`ForecastSnapshot`) by the jobs, never by a page."""

import datetime
import json
import time

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.services import record
from tandem.core.errors import DomainError
from tandem.forecast.models import DealForecast, ForecastCategory, ForecastSnapshot
from tandem.forecast.selectors import (
    LEARN_FOR,
    KeptSnapshots,
    compute_summary,
    dumped,
    may_see_forecast,
    scope_key,
    scoped_deals,
)
from tandem.jobs.models import Job, JobStatus
from tandem.jobs.services import enqueue
from tandem.pipeline.models import Deal, StageOutcome
from tandem.pipeline.selectors import visible_deals
from tandem.users.models import Role, Team, User
from tandem.users.selectors import managed_user_ids


def set_forecast_category(deal: Deal, category: str, *, acting_user: User) -> DealForecast:
    """The owner sets the deal's category; the owner's manager, the Head of Sales or an admin
    set an adjustment that overrides it (an adjustment equal to the owner's call clears it)."""
    if category not in ForecastCategory.values:
        raise DomainError(_("Choose commit, best case or pipeline."), field="category")
    with transaction.atomic():
        locked = visible_deals(acting_user).select_for_update().filter(pk=deal.pk).first()
        if locked is None:
            raise DomainError(_("You cannot set the forecast of this deal."))
        deal = locked
        if deal.stage.outcome != StageOutcome.OPEN:
            raise DomainError(_("Only an open deal has a forecast category."), field="category")
        forecast, _created = DealForecast.objects.get_or_create(deal=deal)
        if acting_user.pk == deal.owner_id:
            field, action = "rep_category", "deal.forecast_category_set"
        elif acting_user.sees_everything or deal.owner_id in managed_user_ids(acting_user):
            field, action = "manager_category", "deal.forecast_category_adjusted"
            if category == forecast.rep_category:
                category = ""
        else:
            raise DomainError(_("Only the owner or their manager sets the forecast of a deal."))
        old = getattr(forecast, field)
        if old == category:
            return forecast
        setattr(forecast, field, category)
        if field == "manager_category":
            forecast.adjusted_by = acting_user if category else None
        forecast.save()
        record(deal, action, acting_user=acting_user, changes={field: [old, category]})
        return forecast


# --- learning the day's forecasts (the jobs' work, tandem/forecast/jobs.py) ----------------


def learn_scope(
    deals: QuerySet[Deal], kind: str, as_of: datetime.date, with_backtest: bool, key: str
) -> ForecastSnapshot:
    """Learn the forecast of the deals (the scope `key`, see `scope_key`) as of the day and
    keep it, unless the day's snapshot is there and still right: idempotent, as a job must be."""
    known = KeptSnapshots(kind, as_of, [key])
    kept = known.right(key, with_backtest)
    if kept is not None:
        return kept
    started = time.perf_counter()
    summary = compute_summary(deals, kind, as_of, with_backtest)
    stored = {name: dumped(summary[name]) for name in ("current", "next")}
    if "backtest" in summary:
        stored["backtest"] = summary["backtest"]
    snapshot, _created = ForecastSnapshot.objects.update_or_create(
        scope=key,
        kind=kind,
        as_of=as_of,
        defaults={
            "version": known.version,
            "summary": json.loads(json.dumps(stored, cls=DjangoJSONEncoder)),
            "seconds": time.perf_counter() - started,
        },
    )
    return snapshot


def learn_company_or_team(kind: str, team_id: int | None, as_of: datetime.date) -> None:
    """The day's forecast of one team as its Sales Manager and the Head of Sales see it, or
    of the whole company (team None, with its backtest): one job each in the day's work, so
    that workers learn them side by side."""
    if team_id is None:
        learn_scope(Deal.objects.all(), kind, as_of, True, "all")
        return
    head = User(role=Role.HEAD_OF_SALES)
    team = Team.objects.filter(pk=team_id).first()
    if team is not None:  # gone since the day's work was handed out: nothing to learn
        learn_scope(scoped_deals(head, team), kind, as_of, False, scope_key(head, team))


def learn_for(user: User, kind: str, as_of: datetime.date, team_id: int | None) -> None:
    """The day's forecast of what `user` sees (within the team, when given) as their forecast
    page and cockpit show it: their whole scope with its backtest, a team without."""
    team = None
    if team_id is not None:
        team = Team.objects.filter(pk=team_id).first()
        if team is None:
            return
    learn_scope(scoped_deals(user, team), kind, as_of, team is None, scope_key(user, team))


def learn_every_scope(kind: str, as_of: datetime.date | None = None) -> int:
    """Every team's and the whole company's forecast for the day, in this process (`tandem
    forecast precompute`, `tandem nightly`); returns how many."""
    as_of = as_of or timezone.localdate()
    teams = list(Team.objects.order_by("pk").values_list("pk", flat=True))
    for team in [None, *teams]:
        learn_company_or_team(kind, team, as_of)
    return 1 + len(teams)


def ask_to_learn(user: User, kind: str, as_of: datetime.date, teams: list[int | None]) -> Job:
    """A person asks for the day's forecasts their page shows (None: their whole scope): one
    job learns them one after the other. A job of theirs that waits or runs for the same
    forecasts already is the answer (a second click asks for nothing more)."""
    if not may_see_forecast(user):
        raise DomainError(_("You cannot see the forecast."))
    params = {"user": user.pk, "kind": kind, "day": as_of.isoformat(), "teams": teams}
    waiting = (
        Job.objects.filter(
            kind=LEARN_FOR,
            requested_by=user,
            status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
            params__kind=kind,
            params__day=params["day"],
        )
        .order_by("-queued_at")
        .first()
    )
    if waiting is not None and waiting.params.get("teams") == teams:
        return waiting
    return enqueue(LEARN_FOR, requested_by=user, **params)
