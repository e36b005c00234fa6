"""The Sales Manager's cockpit in figures: one builder (`sales_cockpit`) for the cockpit page,
`GET /api/kpis/sales` and `tandem kpis --role sales`, so the three show the same figures. The
JSON of the API and the command is made from its result (`tandem.sales.report`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from tandem.core.periods import Period, PeriodKind
from tandem.forecast.selectors import Kept, kept_forecast
from tandem.kpis.bottlenecks import StageDwell, stage_dwell, stalled_deals
from tandem.kpis.sales import (
    ChannelKpis,
    CompanyKpis,
    FunnelStep,
    GroupKpis,
    KpiScope,
    QuotaComparison,
    by_channel,
    company_kpis,
    company_target,
    funnel,
    labelled,
    leading_teams,
    quota_comparison,
    with_labels,
)
from tandem.kpis.scorecards import add_activities, flag_against_team
from tandem.quotas.models import QuotaMetric
from tandem.users.models import Role, User

if TYPE_CHECKING:
    from tandem.kpis.bottlenecks import StalledDeal

STALLED_SHOWN = 20  # the longest idle of the stalled deals, listed one by one


@dataclass(frozen=True)
class ForecastAgainstQuota:
    """A period's forecast (Tandem's, with its 80 % interval) against its won-value quota."""

    period: Period
    closed: float
    forecast: float
    low: float
    high: float
    quota: Decimal | None

    @property
    def gap(self) -> float | None:
        """Quota minus forecast: above 0 the forecast falls short of the quota."""
        return float(self.quota) - self.forecast if self.quota is not None else None

    @property
    def attainment(self) -> float | None:
        """The forecast against the quota (1.0 = 100 %)."""
        return self.forecast / float(self.quota) if self.quota else None


@dataclass(frozen=True)
class ForecastAhead:
    """The forecast against quota as kept: its rows, and which forecast they come from (the
    day it is as of, when it was learned, whether it is today's and still right)."""

    rows: list[ForecastAgainstQuota]
    kept: Kept


@dataclass
class SalesCockpit:
    """Everything the cockpit shows for one scope and period. `teams` and `reps` carry the
    scorecards' activities and flags; with `leading` only the teams with the most won value
    (`more_teams`: how many are left out) and no reps. `forecast`: this period and the next,
    None when not asked for or when no forecast of the scope is kept."""

    scope: KpiScope
    company: CompanyKpis
    teams: list[GroupKpis]
    more_teams: int
    reps: list[GroupKpis]
    funnel: list[FunnelStep]
    channels: list[ChannelKpis]
    time_in_stage: list[StageDwell]
    stalled: list[StalledDeal]
    stalled_total: int
    quotas: list[QuotaComparison]
    forecast: ForecastAhead | None


def leads_teams(user: User) -> bool:
    """Sales Managers, Head of Sales and admins see teams, reps and the forecast; a rep sees
    their own scorecard."""
    return user.sees_everything or user.role == Role.SALES_MANAGER


def forecast_kind(scope: KpiScope) -> str:
    """Months or quarters, as the scope's period; a year shows its quarters."""
    kind = scope.period.kind
    return kind if kind in {PeriodKind.MONTH, PeriodKind.QUARTER} else PeriodKind.QUARTER


def forecast_against_quota(scope: KpiScope, today: datetime.date) -> ForecastAhead | None:
    """This period and the next: Tandem's forecast with its 80 % interval next to the quota,
    from the kept forecast (today's, else the latest before; None when none is kept: a read
    never learns one, see tandem.forecast.services)."""
    kind = forecast_kind(scope)
    kept = kept_forecast(scope.user, scope.team, kind, today)
    if kept is None:
        return None
    rows = []
    for forecast in (kept.current, kept.next):
        period = Period.containing(forecast.period.start, kind)
        rows.append(
            ForecastAgainstQuota(
                period=period,
                closed=float(forecast.closed),
                forecast=forecast.forecast,
                low=forecast.low,
                high=forecast.high,
                quota=company_target(
                    KpiScope(scope.user, period, scope.team), QuotaMetric.WON_VALUE
                ),
            )
        )
    return ForecastAhead(rows, kept)


def sales_cockpit(
    scope: KpiScope,
    *,
    today: datetime.date | None = None,
    groups: bool = True,
    leading: int | None = None,
    quotas: bool = False,
    forecast: bool = False,
) -> SalesCockpit:
    """The cockpit's figures for the scope. `groups`: the teams and reps too; `leading`: of a
    whole company only the `leading` teams with the most won value, no reps; `quotas`: each
    team's quota against its reps' quotas; `forecast`: the forecast against the quota, as
    kept."""
    today = today or timezone.localdate()
    teams: list[GroupKpis] = []
    reps: list[GroupKpis] = []
    more_teams = 0
    if leading is not None:
        teams, more_teams = leading_teams(scope, leading)
        with_labels("team", teams)
    elif groups:
        teams, reps = labelled(scope, "team"), labelled(scope, "rep")
    if teams or reps:
        # the teams' activities per rep only, when no rep is shown
        add_activities(scope, reps, teams)
        flag_against_team(reps, teams)
    stalled, stalled_total = stalled_deals(scope, today=today, limit=STALLED_SHOWN)
    return SalesCockpit(
        scope=scope,
        company=company_kpis(scope),
        teams=teams,
        more_teams=more_teams,
        reps=reps,
        funnel=funnel(scope),
        channels=by_channel(scope),
        time_in_stage=stage_dwell(scope),
        stalled=stalled,
        stalled_total=stalled_total,
        quotas=quota_comparison(scope) if quotas else [],
        forecast=forecast_against_quota(scope, today) if forecast else None,
    )
