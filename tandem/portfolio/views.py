"""Whitespace pages: the account × product matrix with the portfolio's cross-sell candidates,
and one account's candidates with their reasons."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from tandem.accounts.selectors import get_account_for
from tandem.keyaccounts.formatting import compact_money
from tandem.portfolio.forms import WhitespaceFilterForm
from tandem.portfolio.selectors import (
    SOURCE_DEAL,
    CrossSell,
    may_use_whitespace,
    portfolio_candidates,
    whitespace_accounts,
    whitespace_matrix,
)

HEAT_LEVELS = 5
PORTFOLIO_CANDIDATES_SHOWN = 40


def _check(user) -> None:
    if not may_use_whitespace(user):
        raise PermissionDenied


def heat_level(amount: Decimal, top: Decimal) -> int:
    """0 for nothing bought, then 1..HEAT_LEVELS by the share of the biggest cell."""
    if amount <= 0 or top <= 0:
        return 0
    return min(HEAT_LEVELS, 1 + int(amount / top * (HEAT_LEVELS - 1) + Decimal("0.5")))


def chart_data(matrix) -> dict:
    """The heat-map's data for ECharts: products on x, accounts on y (biggest at the top)."""
    products = matrix.products
    accounts = list(reversed(matrix.accounts))
    points = []
    for y, account in enumerate(accounts):
        for x, product in enumerate(products):
            cell = matrix.cell(account, product)
            if cell is not None and cell.bought:
                points.append([x, y, float(cell.amount), cell.source == SOURCE_DEAL])
    return {
        "products": [product.name for product in products],
        "accounts": [account.name for account in accounts],
        "points": points,
        "max": max((p[2] for p in points), default=0),
        "deal_label": _("won deals, not invoiced yet"),
        "labels": {str(p[2]): compact_money(p[2]) for p in points},
    }


@login_required
def whitespace(request):
    user = request.user
    _check(user)
    form = WhitespaceFilterForm(request.GET or None, user=user)
    window = form.window()
    accounts = whitespace_accounts(user, **form.filters())
    matrix = whitespace_matrix(accounts, window)
    candidates = portfolio_candidates(matrix.accounts, window)
    marked = {(c.account.pk, c.product.pk): c.text() for c in candidates}
    top = max((c.amount for c in matrix.cells.values()), default=Decimal(0))
    rows = []
    for row in matrix.rows():
        for entry in row["cells"]:
            cell = entry["cell"]
            entry["level"] = heat_level(cell.amount, top) if cell else 0
            entry["candidate"] = marked.get((row["account"].pk, entry["product"].pk))
        rows.append(row)
    context = {
        "form": form,
        "window": window,
        "matrix": matrix,
        "rows": rows,
        "candidates": candidates[:PORTFOLIO_CANDIDATES_SHOWN],
        "candidate_count": len(candidates),
        "chart": chart_data(matrix),
        "chart_height": max(260, 26 * len(matrix.accounts) + 110),
        "query": request.GET.urlencode(),
    }
    return render(request, "portfolio/whitespace.html", context)


@login_required
def account_candidates(request, account_pk: int):
    user = request.user
    _check(user)
    account = get_account_for(user, account_pk)
    form = WhitespaceFilterForm(request.GET or None, user=user)
    window = form.window()
    engine = CrossSell(window)
    bought = sorted(
        (
            {"product": product, "amount": engine.amounts[account.pk][product.pk]}
            for product in _products(engine.bought(account.pk))
        ),
        key=lambda row: (-row["amount"], row["product"].code),
    )
    context = {
        "form": form,
        "window": window,
        "account": account,
        "bought": bought,
        "candidates": engine.candidates_for(account),
        "query": request.GET.urlencode(),
    }
    return render(request, "portfolio/account.html", context)


def _products(ids):
    from tandem.catalog.models import Product

    return Product.objects.filter(pk__in=ids)
