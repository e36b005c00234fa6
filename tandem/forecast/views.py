from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.core.errors import DomainError
from tandem.forecast.forms import ForecastFilterForm
from tandem.forecast.selectors import (
    forecast_overview,
    forecast_teams,
    learning,
    may_see_forecast,
)
from tandem.forecast.services import ask_to_learn
from tandem.jobs.selectors import shown_state


def chart_data(backtest: dict) -> dict:
    rows = backtest["periods"]
    return {
        "periods": [row["period"] for row in rows],
        "actual": [row["actual"] for row in rows],
        "forecast": [row["forecast"] for row in rows],
        "low": [row["low"] for row in rows],
        "band": [round(row["high"] - row["low"], 2) for row in rows],
        "weighted_pipeline": [row["weighted_pipeline"] for row in rows],
    }


def scope_rows(kept) -> list:
    return [(_("This period"), kept.current), (_("Next period"), kept.next)]


TEAMS = 25  # teams shown before the page asks for ?rows=all


@login_required
@require_http_methods(["GET", "POST"])
def overview(request):
    """The kept forecasts, never learned here (a page does not wait, nor write): what is not
    kept for the day says so, with the time the shown one was learned; a POST asks for the
    day's (a job) and the page follows it until they are there."""
    if not may_see_forecast(request.user):
        raise PermissionDenied
    form = ForecastFilterForm(request.GET or None)
    kind, as_of = "month", None
    if form.is_valid():
        kind = form.cleaned_data["kind"] or "month"
        as_of = form.cleaned_data["as_of"]
    as_of = as_of or timezone.localdate()
    team_limit = None if request.GET.get("rows") == "all" else TEAMS
    if request.method == "POST":
        teams = forecast_teams(request.user).values_list("pk", flat=True)[:team_limit]
        try:
            ask_to_learn(request.user, kind, as_of, [None, *teams])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("The forecast is being learned; it shows here when it is ready.")
            )
        return redirect(request.get_full_path())
    data = forecast_overview(request.user, kind, as_of, team_limit=team_limit)
    job = None if data["up_to_date"] else learning(request.user, kind, as_of)
    kept = data["scope"]["kept"]
    scopes = []
    if kept is not None:
        scopes.append({"key": "all", "title": _("Everything you see"), "rows": scope_rows(kept)})
    for item in data["teams"]:
        scopes.append(
            {
                "key": item["team"].pk,
                "title": _("Team {team}").format(team=item["team"].name),
                "rows": scope_rows(item["kept"]) if item["kept"] else [],
            }
        )
    backtest = kept.backtest if kept is not None else None
    return render(
        request,
        "forecast/overview.html",
        {
            "form": form,
            "as_of": as_of,
            "data": data,
            "kept": kept,
            "scopes": scopes,
            "backtest": backtest,
            "chart": chart_data(backtest) if backtest else None,
            "more_teams": data["more_teams"],
            "learning": shown_state(job),
        },
    )
