"""The KAM cockpit and the concentration page: thin, every number comes from tandem.kam.kpis."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from tandem.core.errors import DomainError
from tandem.core.formatting import percent as percent_text
from tandem.core.lists import first_rows
from tandem.core.periods import Period, PeriodKind
from tandem.kam.kpis import (
    KamKpis,
    compute,
    is_company_wide,
    kams_in_scope,
    kams_to_pick,
    loss_impact,
    may_open_cockpit,
    stored_compute,
)
from tandem.keyaccounts.selectors import gap_text
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


def _scope(request, *, with_company_revenue: bool = False):
    """(period, period error, KAMs to pick, chosen KAM, KAMs shown, computed KPIs). The
    company's total revenue (a scan of the period's revenue lines) only when asked for and only
    for those who see everything. Every KAM at once (Head of Sales, admins) is read from the
    figures kept for the day (see `stored_compute`); an admin's POST computes them again."""
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
    kams = kams_in_scope(user, chosen)
    with_company_revenue = with_company_revenue and user.sees_everything
    if is_company_wide(user, chosen):
        refresh = request.method == "POST" and may_refresh(user)
        result, computed_at = stored_compute(
            kams, period, with_company_revenue=with_company_revenue, refresh=refresh
        )
        _say_when(request, computed_at)
    else:
        result = compute(kams, period, with_company_revenue=with_company_revenue)
    return period, error, choices, chosen, kams, result


def may_refresh(user) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


def _say_when(request, computed_at) -> None:
    """Tell when the company-wide figures were computed; admins get a button to redo it."""
    when = formats.date_format(timezone.localtime(computed_at), "DATETIME_FORMAT")
    text = _("Figures for every KAM as computed on {when} (once a day).").format(when=when)
    if not may_refresh(request.user):
        messages.info(request, text)
        return
    button = format_html(
        ' <form method="post" style="display:inline" data-refresh>'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button type="submit" class="button small secondary">{}</button></form>',
        get_token(request),
        _("Compute again now"),
    )
    messages.info(request, format_html("{}{}", text, button))


def _loss_sentences(result: KamKpis, group: dict, rows: list[dict]) -> list[str]:
    sentences = []
    company_total = result.company_revenue
    names = {r["id"]: r["name"] for r in rows}
    revenues = {r["id"]: r["revenue"] for r in rows}
    for item in loss_impact(names, group["_shares"]):
        revenue = revenues[item["id"]]
        if company_total:
            sentences.append(
                _(
                    "Losing {name} removes {share} of this revenue "
                    "({company_share} of the company's revenue)."
                ).format(
                    name=item["name"],
                    share=percent_text(item["share"], -1),
                    company_share=percent_text(float(revenue) / float(company_total), -1),
                )
            )
        else:
            sentences.append(
                _("Losing {name} removes {share} of this revenue.").format(
                    name=item["name"], share=percent_text(item["share"], -1)
                )
            )
    return sentences


def _revenue_chart(result: KamKpis, rows: list[dict]) -> dict:
    """Revenue per year: the largest accounts one by one, the others together."""
    years = result.window.years
    ranked = sorted(rows, key=lambda r: -r["revenue"])
    shown, others = ranked[:CHART_ACCOUNTS], ranked[CHART_ACCOUNTS:]
    series = [
        {"name": r["name"], "data": [_number(r["revenue_by_year"][y]) for y in years]}
        for r in shown
    ]
    if others:
        series.append(
            {
                "name": _("Other accounts ({count})").format(count=len(others)),
                "data": [_number(sum(r["revenue_by_year"][y] for r in others)) for y in years],
            }
        )
    return {"years": [str(y) for y in years], "series": series}


def _pareto_chart(group: dict, rows: list[dict], limit: int = PARETO_ACCOUNTS) -> dict:
    names = {r["id"]: r["name"] for r in rows}
    ranked = sorted(group["_shares"].items(), key=lambda item: -item[1])
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


def _common(request, period, error, choices, chosen, kams, result) -> dict:
    user = request.user
    return {
        "period": period,
        "window": result.window,
        "previous": period.previous,
        "next": period.shifted(1),
        "period_error": error,
        "kam_choices": choices if len(choices) > 1 or user.sees_everything else [],
        "chosen": chosen,
        "kams": kams,
        "side_by_side": len(kams) > 1,
        "company": result.company,
        "result": result,
        "query": f"&kam={chosen.pk}" if chosen else "",
    }


@login_required
def cockpit(request):
    period, error, choices, chosen, kams, result = _scope(request)
    if request.method == "POST":
        return redirect(request.get_full_path())
    rows = sorted(result.accounts, key=lambda r: (-r["revenue"], r["name"]))
    listed = rows if len(kams) == 1 else rows[:PORTFOLIO_ROWS]
    for row in listed:
        row["share"] = result.company["_shares"].get(row["id"], 0.0)  # of what the page shows
        row["gap_texts"] = [gap_text(code) for code in row["coverage_gaps"]]
        row["trend"] = [_number(row["revenue_by_year"][y]) for y in result.window.years]
    by_revenue = sorted(result.per_kam, key=lambda g: -g["revenue"])
    charted = by_revenue[:CHART_KAMS]
    # a large company's table: the KAMs with the most revenue, every one on request (?rows=all)
    per_kam, more_kams = first_rows(by_revenue, request.GET.get("rows") == "all")
    charts = {
        "revenue": _revenue_chart(result, rows),
        "pareto": _pareto_chart(result.company, rows, limit=15),
        "kams": {
            "names": [str(group["kam"]) for group in charted],
            "years": [str(y) for y in result.window.years],
            "series": [
                {
                    "name": str(y),
                    "data": [_number(group["revenue_by_year"][y]) for group in charted],
                }
                for y in result.window.years
            ],
        }
        if len(kams) > 1
        else None,
        "trends": {str(row["id"]): row["trend"] for row in listed},
    }
    context = _common(request, period, error, choices, chosen, kams, result)
    context.update(
        {
            "accounts": listed,
            "accounts_total": len(rows),
            "per_kam": per_kam,
            "more_kams": more_kams,
            "losses": _loss_sentences(result, result.company, result.accounts),
            "charts": charts,
        }
    )
    return render(request, "kam/cockpit.html", context)


@login_required
def concentration(request):
    period, error, choices, chosen, kams, result = _scope(request, with_company_revenue=True)
    if request.method == "POST":
        return redirect(request.get_full_path())
    shares = result.company["_shares"]
    rows = sorted(result.accounts, key=lambda r: (-shares.get(r["id"], 0.0), r["name"]))
    running = 0.0
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
        row["share"] = shares.get(row["id"], 0.0)
        running += row["share"]
        row["cumulative"] = running
    names = {row["id"]: row["name"] for row in rows}
    # a large company's table: the most concentrated portfolios, every one on request
    riskiest = sorted(result.per_kam, key=lambda g: -(g["herfindahl_index"] or 0))
    shown, more_kams = first_rows(riskiest, request.GET.get("rows") == "all")
    groups = [
        {
            "kam": group["kam"],
            "accounts": group["accounts"],
            "revenue": group["revenue"],
            "top10_share": group["top10_share"],
            "herfindahl_index": group["herfindahl_index"],
            "largest": (loss_impact(names, group["_shares"], limit=1) or [None])[0],
        }
        for group in shown
    ]
    context = _common(request, period, error, choices, chosen, kams, result)
    context.update(
        {
            "rows": rows[:SHARE_ROWS],
            "rows_total": len(rows),
            "groups": groups,
            "more_kams": more_kams,
            "losses": _loss_sentences(result, result.company, result.accounts),
            "charts": {"pareto": _pareto_chart(result.company, rows)},
        }
    )
    return render(request, "kam/concentration.html", context)
