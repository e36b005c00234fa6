"""The KAM cockpit and the concentration page: thin, every figure comes from tandem.kam.cockpit."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from tandem.core.errors import DomainError
from tandem.core.lists import first_rows
from tandem.core.periods import Period, PeriodKind
from tandem.kam.cockpit import KamCockpit, NotComputed, kam_cockpit
from tandem.kam.figures import ask_for
from tandem.kam.kpis import (
    AccountKpis,
    KamKpis,
    KamPortfolioKpis,
    KamWindow,
    LossImpact,
    PortfolioKpis,
    kams_to_pick,
    may_open_cockpit,
)
from tandem.users.models import Role

PORTFOLIO_ROWS = 50  # accounts listed when every KAM is shown (the largest first)
CHART_ACCOUNTS = 8  # accounts drawn one by one in the revenue chart; the rest as "others"
PARETO_ACCOUNTS = 30
CHART_KAMS = 20
SHARE_ROWS = 100  # accounts listed on the concentration page (the largest first)


def _number(value) -> float | None:
    return None if value is None else float(value)


def _period(request) -> tuple[Period, str | None]:
    today = timezone.localdate()
    default = Period.containing(today, PeriodKind.YEAR)
    if not request.GET.get("period"):
        return default, None
    try:
        return Period.parse(request.GET["period"]), None
    except DomainError as problem:
        return default, problem.message


def _scope(request, *, with_company_revenue: bool = False) -> tuple[KamCockpit, str | None, list]:
    """The cockpit's figures for the period and KAM the query string asks for (read from the
    kept figures, never computed here), the period's error and the KAMs to pick. The company's
    total revenue only when asked for."""
    user = request.user
    if not may_open_cockpit(user):
        raise PermissionDenied
    period, error = _period(request)
    choices = list(kams_to_pick(user))
    chosen = None
    if request.GET.get("kam", "").isdigit():
        chosen = next((k for k in choices if k.pk == int(request.GET["kam"])), None)
        if chosen is None:
            raise PermissionDenied
    cockpit = kam_cockpit(user, period, chosen, with_company_revenue=with_company_revenue)
    if cockpit.computed_at is not None:
        _say_when(request, cockpit)
    return cockpit, error, choices


def may_refresh(user) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


def _ask_for_figures(request):
    """An admin's POST: compute the period's figures whole (a job), and keep them from then
    on; back to the page, which shows the figures kept so far."""
    if not may_refresh(request.user):
        raise PermissionDenied  # not a redirect to the figures as if they had been computed
    period, _error = _period(request)
    ask_for(period, request.user)
    messages.success(
        request,
        _("The figures of {period} are being computed; they show here within a minute.").format(
            period=period.code
        ),
    )
    return redirect(request.get_full_path())


def _refresh_button(request, label: str) -> str:
    return format_html(
        ' <form method="post" style="display:inline" data-refresh>'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button type="submit" class="button small secondary">{}</button></form>',
        get_token(request),
        label,
    )


def _say_when(request, cockpit: KamCockpit) -> None:
    """Tell when the figures were last brought up to date; admins get a button to compute the
    period again."""
    when = formats.date_format(timezone.localtime(cockpit.computed_at), "DATETIME_FORMAT")
    if len(cockpit.kams) > 1:
        text = _(
            "Figures for every KAM as computed on {when} "
            "(brought up to date within a minute of a change)."
        ).format(when=when)
    else:
        text = _(
            "Figures as computed on {when} (brought up to date within a minute of a change)."
        ).format(when=when)
    if not may_refresh(request.user):
        messages.info(request, text)
        return
    messages.info(
        request, format_html("{}{}", text, _refresh_button(request, _("Compute again now")))
    )


def _not_computed(request, cockpit: KamCockpit, error: str | None, choices: list, page: str):
    """The period's figures are not kept yet: say so (a read does not compute them)."""
    context = _common(request, cockpit, error, choices)
    context.update(
        {
            "page": page,
            "window": KamWindow(cockpit.period, timezone.localdate()),
            "missing": NotComputed(cockpit.period).message,
            "ask_button": _refresh_button(request, _("Compute them now"))
            if may_refresh(request.user)
            else "",
        }
    )
    return render(request, "kam/not_computed.html", context)


def _revenue_chart(result: KamKpis, rows: list[AccountKpis]) -> dict:
    """Revenue per year: the largest accounts one by one, the others together."""
    years = result.window.years
    ranked = sorted(rows, key=lambda r: -r.revenue)
    shown, others = ranked[:CHART_ACCOUNTS], ranked[CHART_ACCOUNTS:]
    series = [
        {"name": r.name, "data": [_number(r.revenue_by_year[y]) for y in years]} for r in shown
    ]
    if others:
        series.append(
            {
                "name": _("Other accounts ({count})").format(count=len(others)),
                "data": [_number(sum(r.revenue_by_year[y] for r in others)) for y in years],
            }
        )
    return {"years": [str(y) for y in years], "series": series}


def _pareto_chart(
    group: PortfolioKpis, rows: list[AccountKpis], limit: int = PARETO_ACCOUNTS
) -> dict:
    names = {r.id: r.name for r in rows}
    ranked = sorted(group.shares.items(), key=lambda item: -item[1])
    cumulative, running = [], 0.0
    for _pk, share in ranked:
        running += share
        cumulative.append(round(running * 100, 2))
    return {
        "names": [names[pk] for pk, _share in ranked[:limit]],
        "shares": [round(share * 100, 2) for _pk, share in ranked[:limit]],
        "cumulative": cumulative[:limit],
        "share_label": _("Share of revenue (%)"),
        "cumulative_label": _("Cumulative share (%)"),
        "lorenz": _lorenz([share for _pk, share in ranked]),
    }


def _lorenz(shares: list[float]) -> list[list[float]]:
    """The Lorenz curve: accounts from the smallest up; x = share of accounts (%), y = share of
    revenue they make (%). A diagonal means every account is as big as the others."""
    points, running = [[0.0, 0.0]], 0.0
    ascending = sorted(shares)
    for i, share in enumerate(ascending, start=1):
        running += share
        points.append([round(i * 100 / len(ascending), 2), round(running * 100, 2)])
    return points


def _common(request, cockpit: KamCockpit, error: str | None, choices: list) -> dict:
    user, result = request.user, cockpit.figures
    return {
        "period": cockpit.period,
        "window": result.window if result else None,
        "previous": cockpit.period.previous,
        "next": cockpit.period.shifted(1),
        "period_error": error,
        "kam_choices": choices if len(choices) > 1 or user.sees_everything else [],
        "chosen": cockpit.chosen,
        "kams": cockpit.kams,
        "side_by_side": len(cockpit.kams) > 1,
        "company": result.company if result else None,
        "result": result,
        "query": f"&kam={cockpit.chosen.pk}" if cockpit.chosen else "",
    }


@login_required
def cockpit(request):
    if request.method == "POST":
        return _ask_for_figures(request)
    figures, error, choices = _scope(request)
    result = figures.figures
    if result is None:
        return _not_computed(request, figures, error, choices, "cockpit")
    rows = sorted(result.accounts, key=lambda r: (-r.revenue, r.name))
    listed = rows if len(figures.kams) == 1 else rows[:PORTFOLIO_ROWS]
    by_revenue = sorted(result.per_kam, key=lambda g: -g.revenue)
    charted = by_revenue[:CHART_KAMS]
    # a large company's table: the KAMs with the most revenue, every one on request (?rows=all)
    per_kam, more_kams = first_rows(by_revenue, request.GET.get("rows") == "all")
    years = result.window.years
    charts = {
        "revenue": _revenue_chart(result, rows),
        "pareto": _pareto_chart(result.company, rows, limit=15),
        "kams": {
            "names": [str(group.kam) for group in charted],
            "years": [str(y) for y in years],
            "series": [
                {"name": str(y), "data": [_number(group.revenue_by_year[y]) for group in charted]}
                for y in years
            ],
        }
        if len(figures.kams) > 1
        else None,
        "trends": {str(row.id): [_number(row.revenue_by_year[y]) for y in years] for row in listed},
    }
    context = _common(request, figures, error, choices)
    context.update(
        {
            "accounts": listed,
            "accounts_total": len(rows),
            "per_kam": per_kam,
            "more_kams": more_kams,
            "losses": figures.largest_accounts(result.company),
            "charts": charts,
        }
    )
    return render(request, "kam/cockpit.html", context)


@dataclass(frozen=True)
class RankedAccount:
    """An account on the concentration page: its rank by share and the cumulative share."""

    rank: int
    account: AccountKpis
    cumulative: float


@dataclass(frozen=True)
class PortfolioConcentration:
    """A KAM's portfolio on the concentration page, with its largest account."""

    portfolio: KamPortfolioKpis
    largest: LossImpact | None


@login_required
def concentration(request):
    if request.method == "POST":
        return _ask_for_figures(request)
    figures, error, choices = _scope(request, with_company_revenue=True)
    result = figures.figures
    if result is None:
        return _not_computed(request, figures, error, choices, "concentration")
    by_share = sorted(result.accounts, key=lambda r: (-r.share, r.name))
    rows, running = [], 0.0
    for rank, row in enumerate(by_share, start=1):
        running += row.share
        rows.append(RankedAccount(rank=rank, account=row, cumulative=running))
    # a large company's table: the most concentrated portfolios, every one on request
    riskiest = sorted(result.per_kam, key=lambda g: -(g.herfindahl_index or 0))
    shown, more_kams = first_rows(riskiest, request.GET.get("rows") == "all")
    groups = [
        PortfolioConcentration(
            portfolio=group, largest=(figures.largest_accounts(group, limit=1) or [None])[0]
        )
        for group in shown
    ]
    context = _common(request, figures, error, choices)
    context.update(
        {
            "rows": rows[:SHARE_ROWS],
            "rows_total": len(rows),
            "groups": groups,
            "more_kams": more_kams,
            "losses": figures.largest_accounts(result.company),
            "charts": {"pareto": _pareto_chart(result.company, by_share)},
        }
    )
    return render(request, "kam/concentration.html", context)
