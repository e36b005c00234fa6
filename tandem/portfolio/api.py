"""REST endpoints of whitespace: the account × product matrix and cross-sell candidates.

The same selectors as the web page: key accounts the caller may see, purchases in a window
(`months` up to `end`), candidates ranked by what the most similar accounts buy.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from tandem.accounts.models import Sector
from tandem.accounts.selectors import get_account_for
from tandem.catalog.models import Product
from tandem.core.api.errors import ERROR_RESPONSES, FieldError, unknown_reference
from tandem.core.validation import Day, Line
from tandem.portfolio.selectors import (
    DEFAULT_MONTHS,
    WINDOW_CHOICES,
    CrossSell,
    kam_filter_choices,
    may_use_whitespace,
    portfolio_candidates,
    whitespace_accounts,
    whitespace_matrix,
    window_ending,
)

router = Router()


class WindowParams(Schema):
    months: int = Field(
        DEFAULT_MONTHS, description=f"Length of the window: one of {list(WINDOW_CHOICES)}."
    )
    end: Day | None = Field(None, description="Last day of the window (default today).")


class MatrixParams(WindowParams):
    kam: int | None = Field(None, description="Only the key accounts of this KAM (user id).")
    sector: Line | None = Field(None, description="Only accounts of this sector (code).")


class WindowSchema(Schema):
    start: datetime.date
    end: datetime.date


class MatrixAccountSchema(Schema):
    id: int
    name: str
    owner: int
    sector: str | None
    total: Decimal


class MatrixProductSchema(Schema):
    id: int
    code: str
    name: str
    buyers: int = Field(description="Accounts in the matrix that buy it in the window.")


class CellSchema(Schema):
    account: int
    product: int
    amount: Decimal = Field(description="Revenue, or the won deals' value where none.")
    revenue: Decimal | None = Field(description="Invoiced revenue (null: none in the window).")
    won_value: Decimal
    won_deals: int
    source: str = Field(description="revenue or deal")


class MatrixSchema(Schema):
    window: WindowSchema
    accounts: list[MatrixAccountSchema]
    products: list[MatrixProductSchema]
    cells: list[CellSchema] = Field(description="Only the cells where something was bought.")
    account_count: int
    product_count: int


class ProductRefSchema(Schema):
    id: int
    code: str
    name: str


class CrossSellCandidateSchema(Schema):
    account: int
    account_name: str
    product: ProductRefSchema
    buyers: int = Field(description="Similar accounts that buy the product.")
    neighbours: int = Field(description="Similar accounts considered.")
    basis: str = Field(description="similar (product sets) or sector (it buys nothing yet)")
    median_yearly: Decimal = Field(description="Their median amount for it, per year.")
    shared: list[ProductRefSchema] = Field(description="What most of the buyers share with it.")
    reason: str = Field(description="The reason in words, in the caller's language.")


class CrossSellCandidatesSchema(Schema):
    window: WindowSchema
    items: list[CrossSellCandidateSchema]


class BoughtSchema(Schema):
    product: ProductRefSchema
    amount: Decimal


class AccountWhitespaceSchema(Schema):
    window: WindowSchema
    account: int
    bought: list[BoughtSchema]
    candidates: list[CrossSellCandidateSchema]


def _check(user) -> None:
    if not may_use_whitespace(user):
        raise PermissionDenied


def _window(params: WindowParams):
    if params.months not in WINDOW_CHOICES:
        choices = ", ".join(str(m) for m in WINDOW_CHOICES)
        raise FieldError(
            "months", _("Choose one of: {expected}.").format(expected=choices), source="query"
        )
    return window_ending(params.end or timezone.localdate(), params.months)


def _accounts(user, params: MatrixParams):
    kam = sector = None
    if params.kam is not None:
        kam = kam_filter_choices(user).filter(pk=params.kam).first()
        if kam is None:
            raise FieldError(
                "kam",
                _("There is no KAM with this id among the key accounts you can see."),
                source="query",
            )
    if params.sector:
        sector = Sector.objects.filter(code=params.sector).first()
        if sector is None:
            raise unknown_reference("sector", "sector", source="query")
    return whitespace_accounts(user, kam=kam, sector=sector)


def _product(product) -> dict:
    return {"id": product.pk, "code": product.code, "name": product.name}


def _window_dict(window) -> dict:
    return {"start": window.start, "end": window.end}


@router.get("", response={200: MatrixSchema, **ERROR_RESPONSES}, summary="Account × product")
def read_matrix(request: HttpRequest, params: Query[MatrixParams]):
    _check(request.auth)
    window = _window(params)
    matrix = whitespace_matrix(_accounts(request.auth, params), window)
    shown = {a.pk for a in matrix.accounts}
    columns = {p.pk for p in matrix.products}
    return {
        "window": _window_dict(window),
        "accounts": [
            {
                "id": a.pk,
                "name": a.name,
                "owner": a.owner_id,
                "sector": a.sector.code if a.sector else None,
                "total": matrix.account_totals.get(a.pk, Decimal(0)),
            }
            for a in matrix.accounts
        ],
        "products": [
            {**_product(p), "buyers": matrix.buyers.get(p.pk, 0)} for p in matrix.products
        ],
        "cells": [
            {
                "account": account_id,
                "product": product_id,
                "amount": cell.amount,
                "revenue": cell.revenue,
                "won_value": cell.won_value,
                "won_deals": cell.won_deals,
                "source": cell.source,
            }
            for (account_id, product_id), cell in sorted(matrix.cells.items())
            if cell.bought and account_id in shown and product_id in columns
        ],
        "account_count": matrix.account_count,
        "product_count": matrix.product_count,
    }


@router.get(
    "/candidates",
    response={200: CrossSellCandidatesSchema, **ERROR_RESPONSES},
    summary="Cross-sell candidates over the portfolio",
)
def list_candidates(request: HttpRequest, params: Query[MatrixParams]):
    _check(request.auth)
    window = _window(params)
    found = portfolio_candidates(_accounts(request.auth, params), window)
    return {"window": _window_dict(window), "items": [c.as_dict() for c in found]}


@router.get(
    "/accounts/{account_id}",
    response={200: AccountWhitespaceSchema, **ERROR_RESPONSES},
    summary="What one account buys and its cross-sell candidates",
)
def read_account(request: HttpRequest, account_id: int, params: Query[WindowParams]):
    _check(request.auth)
    account = get_account_for(request.auth, account_id)
    window = _window(params)
    engine = CrossSell(window)
    amounts = engine.amounts.get(account.pk, {})

    products = Product.objects.in_bulk(list(amounts))
    bought = sorted(
        ({"product": _product(products[pid]), "amount": amount} for pid, amount in amounts.items()),
        key=lambda row: (-row["amount"], row["product"]["code"]),
    )
    return {
        "window": _window_dict(window),
        "account": account.pk,
        "bought": bought,
        "candidates": [c.as_dict() for c in engine.candidates_for(account)],
    }
