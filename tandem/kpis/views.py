"""The Sales Manager cockpit: thin, everything comes from tandem.kpis.sales."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.errors import DomainError
from tandem.kpis.bottlenecks import stage_dwell, stalled_deals
from tandem.kpis.periods import Period
from tandem.kpis.sales import (
    KpiScope,
    by_channel,
    funnel,
    labelled,
    quota_comparison,
    sales_kpis,
)
from tandem.kpis.scorecards import flag_against_team
from tandem.quotas.models import PeriodKind
from tandem.users.models import Role, Team


def _number(value) -> float | None:
    return None if value is None else float(value)


def _period_choices(period: Period) -> list[dict]:
    """Quick picks: the quarters around the shown one, its month(s) and year."""
    quarter = Period.containing(period.start, PeriodKind.QUARTER)
    picks = [quarter.shifted(step) for step in range(-4, 2)]
    picks.append(Period.containing(period.start, PeriodKind.YEAR))
    return [{"code": p.code, "current": p == period} for p in picks]


@login_required
def cockpit(request):
    user = request.user
    today = timezone.localdate()
    error = None
    try:
        period = (
            Period.parse(request.GET["period"])
            if request.GET.get("period")
            else Period.containing(today)
        )
    except DomainError as problem:
        error = problem.message
        period = Period.containing(today)
    leads = user.sees_everything or user.role == Role.SALES_MANAGER
    teams_to_pick = (
        Team.objects.all()
        if user.sees_everything
        else Team.objects.filter(manager=user)
        if leads
        else Team.objects.none()
    )
    team = None
    if request.GET.get("team", "").isdigit():
        team = teams_to_pick.filter(pk=int(request.GET["team"])).first()
    scope = KpiScope(user, period, team)
    company = sales_kpis(scope)
    team_rows = labelled(scope, "team") if leads else []
    teams = team_rows if user.sees_everything and team is None else []
    reps = flag_against_team(labelled(scope, "rep"), team_rows) if leads else []
    stalled, stalled_total = stalled_deals(scope, today=today, limit=20)
    steps = funnel(scope)
    channels = by_channel(scope)
    if teams:
        compared = [(row["obj"].name if row["obj"] else _("No team"), row) for row in teams]
    elif reps:
        compared = [(str(row["obj"]), row) for row in reps]
    else:
        compared = [(str(user), company)]
    charts = {
        "attainment": {
            "names": [name for name, _row in compared],
            "won": [_number(row["won_value"]) for _name, row in compared],
            "quota": [_number(row["quota"]) for _name, row in compared],
            "won_label": _("Won value"),
            "quota_label": _("Quota"),
        },
        "funnel": {
            "steps": [
                {
                    "name": step["stage"].label if step["stage"] else step["code"],
                    "value": step["reached"],
                }
                for step in steps
            ],
        },
        "reps": {
            "names": [str(row["obj"]) for row in reps],
            "won": [_number(row["won_value"]) for row in reps],
            "label": _("Won value"),
        },
    }
    return render(
        request,
        "kpis/cockpit.html",
        {
            "period": period,
            "previous": period.previous,
            "next": period.shifted(1),
            "period_choices": _period_choices(period),
            "period_error": error,
            "team": team,
            "teams_to_pick": teams_to_pick if leads else [],
            "kpis": company,
            "teams": teams,
            "reps": reps,
            "funnel": steps,
            "channels": channels,
            "quotas": quota_comparison(scope),
            "dwell": stage_dwell(scope),
            "stalled": stalled,
            "stalled_total": stalled_total,
            "charts": charts,
            "is_rep_view": not leads,
        },
    )
