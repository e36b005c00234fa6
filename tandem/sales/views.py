"""The Sales Manager cockpit: thin, every figure comes from tandem.sales.cockpit."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.core.errors import DomainError
from tandem.core.lists import TABLE_ROWS, first_rows, is_htmx
from tandem.core.periods import Period, PeriodKind
from tandem.forecast.selectors import learning
from tandem.forecast.services import ask_to_learn
from tandem.jobs.selectors import shown_state
from tandem.kpis import rollup
from tandem.kpis.sales import KpiScope
from tandem.sales.cockpit import (
    ForecastAgainstQuota,
    ForecastAhead,
    forecast_against_quota,
    forecast_kind,
    leads_teams,
    sales_cockpit,
)
from tandem.users.models import Role, Team, User


def _number(value) -> float | None:
    return None if value is None else float(value)


def _period_choices(period: Period) -> list[dict]:
    """Quick picks: the quarters around the shown one, its month(s) and year."""
    quarter = Period.containing(period.start, PeriodKind.QUARTER)
    picks = [quarter.shifted(step) for step in range(-4, 2)]
    picks.append(Period.containing(period.start, PeriodKind.YEAR))
    return [{"code": p.code, "current": p == period} for p in picks]


def forecast_chart(ahead: list[ForecastAgainstQuota]) -> dict:
    """What the forecast chart draws (sales/cockpit.js)."""
    return {
        "names": [row.period.code for row in ahead],
        "closed": [_number(row.closed) for row in ahead],
        "forecast": [_number(row.forecast) for row in ahead],
        "low": [_number(row.low) for row in ahead],
        "band": [_number(row.high - row.low) for row in ahead],
        "quota": [_number(row.quota) for row in ahead],
        "labels": {
            "closed": _("Closed so far"),
            "forecast": _("Tandem forecast"),
            "interval": _("Interval (80 %)"),
            "quota": _("Quota"),
        },
    }


# More teams than this to pick from: the picker is a search field, not a list of every team.
TEAM_PICKER_LIMIT = 100


def _cockpit_choice(request):
    """The period (with the error of a bad one), whether the user leads teams, the teams they
    may pick and the picked team (by id, or by name from the search field; with the error of a
    name that is none of theirs), from the query string."""
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
    leads = leads_teams(user)
    teams_to_pick = (
        Team.objects.all()
        if user.sees_everything
        else Team.objects.filter(manager=user)
        if leads
        else Team.objects.none()
    )
    team, team_error = None, None
    name = request.GET.get("team_name", "").strip()
    if request.GET.get("team", "").isdigit():
        team = teams_to_pick.filter(pk=int(request.GET["team"])).first()
    elif name:
        team = teams_to_pick.filter(name=name).first()
        if team is None:
            team_error = _("None of your teams is named “{name}”.").format(name=name)
    return period, error, leads, teams_to_pick, team, team_error


@login_required
def team_names(request):
    """The names of the user's teams that contain what was typed into the search field
    (`team_name`; at most 20), as its suggestions (<option>s of its datalist)."""
    _period, _error, leads, teams_to_pick, _team, _team_error = _cockpit_choice(request)
    if not leads:
        raise PermissionDenied
    query = request.GET.get("team_name", "").strip()
    names = (
        teams_to_pick.filter(name__icontains=query)
        .order_by("name")
        .values_list("name", flat=True)[:20]
    )
    return render(request, "sales/_team_names.html", {"names": names if query else []})


def _forecast_panel(request, scope: KpiScope, ahead: ForecastAhead | None) -> dict:
    """What the forecast panel shows: the kept forecast against quota, when it was learned,
    and, until today's is there, the job that learns it or a button to ask for it."""
    today = timezone.localdate()
    up_to_date = ahead is not None and ahead.kept.up_to_date
    job = None if up_to_date else learning(request.user, forecast_kind(scope), today)
    query = {"period": scope.period.code, **({"team": scope.team.pk} if scope.team else {})}
    rows = ahead.rows if ahead else []
    return {
        "ahead": rows,
        "forecast_kept": ahead.kept if ahead else None,
        "forecast_up_to_date": up_to_date,
        "forecast_day": today,
        "forecast_learning": shown_state(job),
        "forecast_url": f"{reverse('sales:forecast_ahead')}?{urlencode(query)}",
        "forecast_chart": forecast_chart(rows),
    }


@login_required
@require_http_methods(["GET", "POST"])
def forecast_ahead(request):
    """The cockpit's forecast against quota on its own: what the panel follows (htmx) while
    today's forecast is learned. A POST asks for it (a job); a read never learns it."""
    period, _error, leads, _teams, team, _team_error = _cockpit_choice(request)
    if not leads:
        raise PermissionDenied
    scope = KpiScope(request.user, period, team)
    if request.method == "POST":
        try:
            ask_to_learn(
                request.user,
                forecast_kind(scope),
                timezone.localdate(),
                [team.pk if team else None],
            )
        except DomainError as error:
            messages.error(request, error.message)
        if not is_htmx(request):
            query = {"period": period.code, **({"team": team.pk} if team else {})}
            return redirect(f"{reverse('sales:cockpit')}?{urlencode(query)}")
    ahead = forecast_against_quota(scope, timezone.localdate())
    return render(request, "sales/_forecast_ahead.html", _forecast_panel(request, scope, ahead))


@login_required
def cockpit(request):
    user = request.user
    today = timezone.localdate()
    period, error, leads, teams_to_pick, team, team_error = _cockpit_choice(request)
    scope = KpiScope(user, period, team)
    every_row = request.GET.get("rows") == "all"
    # the whole company's reps only on request when there are many: pick a team instead
    many_reps = (
        rollup.everything(user, team)
        and not every_row
        and User.objects.filter(role=Role.SALES_REP, is_active=True)[TABLE_ROWS:].exists()
    )
    # A large company's page stays readable (and fast): the teams with the most won value and
    # the reps furthest from their team, until asked for every row (?rows=all). The forecast
    # comes with the page when the day's is kept, else the page fetches it after.
    figures = sales_cockpit(
        scope,
        today=today,
        groups=leads,
        leading=TABLE_ROWS if many_reps else None,
        quotas=True,
        forecast=leads,
    )
    if many_reps:
        teams, more_teams = figures.teams, figures.more_teams
    else:
        teams = figures.teams if user.sees_everything and team is None else []
        teams, more_teams = first_rows(
            sorted(teams, key=lambda row: row.won_value, reverse=True), every_row
        )
    reps = figures.reps
    reps_flagged_only = len(reps) > TABLE_ROWS and not every_row
    if reps_flagged_only:
        reps = sorted(
            (rep for rep in reps if rep.flags),
            key=lambda rep: (-sum(not flag.better for flag in rep.flags), -len(rep.flags)),
        )
    reps, more_reps = first_rows(reps, every_row)
    quotas = figures.quotas
    if len(quotas) > TABLE_ROWS and not every_row:
        quotas = [row for row in quotas if row.differs]
    quotas, more_quotas = first_rows(quotas, every_row)
    if teams:
        compared = [(row.obj.name if row.obj else _("No team"), row) for row in teams]
    elif reps:
        compared = [(str(row.obj), row) for row in reps]
    else:
        compared = [(str(user), figures.company)]
    charts = {
        "attainment": {
            "names": [name for name, _row in compared],
            "won": [_number(row.won_value) for _name, row in compared],
            "quota": [_number(row.quota) for _name, row in compared],
            "won_label": _("Won value"),
            "quota_label": _("Quota"),
        },
        "funnel": {
            "steps": [
                {"name": step.stage.label if step.stage else step.code, "value": step.reached}
                for step in figures.funnel
            ],
        },
        "reps": {
            "names": [str(row.obj) for row in reps],
            "won": [_number(row.won_value) for row in reps],
            "label": _("Won value"),
        },
    }
    return render(
        request,
        "sales/cockpit.html",
        {
            "period": period,
            "previous": period.previous,
            "next": period.shifted(1),
            "period_choices": _period_choices(period),
            "period_error": error,
            "team": team,
            "teams_to_pick": teams_to_pick.values("pk", "name") if leads else [],
            "team_search": leads and teams_to_pick.count() > TEAM_PICKER_LIMIT,
            "team_error": team_error,
            "kpis": figures.company,
            "teams": teams,
            "reps": reps,
            "funnel": figures.funnel,
            "channels": figures.channels,
            "quotas": quotas,
            "more": {"teams": more_teams, "reps": more_reps, "quotas": more_quotas},
            "reps_flagged_only": reps_flagged_only,
            "many_reps": many_reps,
            "every_row": every_row,
            "dwell": figures.time_in_stage,
            "stalled": figures.stalled,
            "stalled_total": figures.stalled_total,
            "leads": leads,
            **(_forecast_panel(request, scope, figures.forecast) if leads else {}),
            "charts": charts,
            "is_rep_view": not leads,
        },
    )
