"""Whitespace pages: the account × product matrix with the portfolio's cross-sell candidates,
and one account's candidates with their reasons."""

import math

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from tandem.accounts.selectors import get_account_for
from tandem.catalog.models import Product
from tandem.core.formatting import currency_symbol
from tandem.portfolio.forms import WhitespaceFilterForm, WindowForm
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


class HeatScale:
    """Amounts span orders of magnitude (a few hundred to millions): shades follow the
    logarithm between the smallest and the biggest amount bought, so small buyers still show."""

    def __init__(self, amounts):
        positive = [float(a) for a in amounts if a > 0]
        self.low = math.log10(min(positive)) if positive else 0.0
        self.high = math.log10(max(positive)) if positive else 0.0

    def position(self, amount) -> float:
        """0 (the smallest) .. 1 (the biggest)."""
        if self.high <= self.low:
            return 1.0
        return (math.log10(float(amount)) - self.low) / (self.high - self.low)

    def level(self, amount) -> int:
        """0 for nothing bought, then 1..HEAT_LEVELS."""
        if amount is None or amount <= 0:
            return 0
        return 1 + min(HEAT_LEVELS - 1, int(self.position(amount) * HEAT_LEVELS))


def chart_data(matrix, scale: HeatScale) -> dict:
    """The heat-map's data for ECharts: products on x, accounts on y (biggest at the top);
    each point: x, y, shade (0..1, logarithmic), won deals only?, the amount. Amounts are
    numbers; the chart writes them as compact money (TandemCharts.format.compactMoney) with the
    units given here in the reader's language."""
    products = matrix.products
    accounts = list(reversed(matrix.accounts))
    points = []
    for y, account in enumerate(accounts):
        for x, product in enumerate(products):
            cell = matrix.cell(account, product)
            if cell is not None and cell.bought:
                points.append(
                    [
                        x,
                        y,
                        round(scale.position(cell.amount), 4),
                        cell.source == SOURCE_DEAL,
                        float(cell.amount),
                    ]
                )
    return {
        "products": [product.name for product in products],
        "accounts": [account.name for account in accounts],
        "points": points,
        "deal_label": _("won deals, not invoiced yet"),
        "low": 10**scale.low if points else None,
        "high": 10**scale.high if points else None,
        "money_units": {
            "currency": currency_symbol(),
            "million": _("{number} M{currency}"),
            "thousand": _("{number} k{currency}"),
        },
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
    scale = HeatScale(
        matrix.cell(a, p).amount
        for a in matrix.accounts
        for p in matrix.products
        if matrix.cell(a, p) is not None
    )
    rows = []
    for row in matrix.rows():
        for entry in row["cells"]:
            cell = entry["cell"]
            entry["level"] = scale.level(cell.amount) if cell else 0
            entry["candidate"] = marked.get((row["account"].pk, entry["product"].pk))
        rows.append(row)
    context = {
        "form": form,
        "window": window,
        "matrix": matrix,
        "rows": rows,
        "candidates": candidates[:PORTFOLIO_CANDIDATES_SHOWN],
        "candidate_count": len(candidates),
        "chart": chart_data(matrix, scale),
        "chart_height": max(260, 26 * len(matrix.accounts) + 110),
        "query": request.GET.urlencode(),
    }
    return render(request, "portfolio/whitespace.html", context)


@login_required
def account_candidates(request, account_pk: int):
    user = request.user
    _check(user)
    account = get_account_for(user, account_pk)
    form = WindowForm(request.GET or None)
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
    return Product.objects.filter(pk__in=ids)
