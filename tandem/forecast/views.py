from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.forecast.forms import ForecastFilterForm
from tandem.forecast.selectors import forecast_overview, may_see_forecast


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


def scope_rows(summary: dict) -> list:
    return [(_("This period"), summary["current"]), (_("Next period"), summary["next"])]


TEAMS = 25  # teams shown before the page asks for ?rows=all


@login_required
def overview(request):
    if not may_see_forecast(request.user):
        raise PermissionDenied
    form = ForecastFilterForm(request.GET or None)
    kind, as_of = "month", None
    if form.is_valid():
        kind = form.cleaned_data["kind"] or "month"
        as_of = form.cleaned_data["as_of"]
    # Learning the day's forecasts takes minutes for a very large company: unless they are
    # kept, the page comes at once, says so, and fetches its body (this view, htmx) after it.
    data = forecast_overview(
        request.user,
        kind,
        as_of,
        team_limit=None if request.GET.get("rows") == "all" else TEAMS,
        learn=bool(request.headers.get("HX-Request")),
    )
    if data is None:
        return render(
            request,
            "forecast/overview.html",
            {"form": form, "waiting": True, "as_of": as_of or timezone.localdate()},
        )
    backtest = data["scope"]["backtest"]
    scopes = [{"key": "all", "title": _("Everything you see"), "rows": scope_rows(data["scope"])}]
    for item in data["teams"]:
        scopes.append(
            {
                "key": item["team"].pk,
                "title": _("Team {team}").format(team=item["team"].name),
                "rows": scope_rows(item),
            }
        )
    return render(
        request,
        "forecast/overview.html",
        {
            "form": form,
            "as_of": data["as_of"],
            "data": data,
            "scopes": scopes,
            "backtest": backtest,
            "chart": chart_data(backtest),
            "more_teams": data["more_teams"],
        },
    )
