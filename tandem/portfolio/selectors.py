"""Whitespace: what each key account buys, and what it could buy next.

Purchases of an account and a product in a window come from two sources:

- invoiced revenue (`RevenueLine`, summed over the window);
- won deals for the product (closed in the window), counted only where the account has no
  revenue line for that product in the window (a deal not invoiced yet).

An account *buys* a product in the window when that amount is above zero.

Cross-sell candidates of an account (documented in docs/whitespace-and-insights.md):

1. Its product set S in the window. The peers are every other account of the company with a
   purchase in the window (the reason only ever shows counts and a median, never a name).
2. Similar accounts: the `NEIGHBOURS` peers with the highest Jaccard similarity of product sets
   |S ∩ T| / |S ∪ T| (> 0); ties go to the larger overlap, then to the lower account id. An
   account that buys nothing yet is compared with the accounts of its own sector instead (the
   `NEIGHBOURS` with the highest amount, then the lower id).
3. Every active product outside S bought by at least `MIN_BUYERS` of those neighbours is a
   candidate, ranked by how many neighbours buy it, then by their median yearly amount for it
   (amount in the window × 365 / days of the window), then by product code.
"""

from __future__ import annotations

import datetime
import heapq
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from tandem.accounts.models import Account, Sector, Tier
from tandem.accounts.selectors import visible_accounts
from tandem.catalog.models import Product
from tandem.core.formatting import compact_money
from tandem.pipeline.models import Deal, StageOutcome
from tandem.revenue.models import RevenueLine
from tandem.users.models import Role, User

NEIGHBOURS = 15
MIN_BUYERS = 2
CANDIDATES_PER_ACCOUNT = 5
MAX_PRODUCTS = 30  # columns of the matrix (the most bought first)
MAX_ACCOUNTS = 80  # rows of the matrix (the biggest buyers first)
WINDOW_CHOICES = (3, 6, 12, 24, 36)
DEFAULT_MONTHS = 12

SOURCE_REVENUE = "revenue"
SOURCE_DEAL = "deal"
BASIS_SIMILAR = "similar"
BASIS_SECTOR = "sector"


# --- the window -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """A range of days, both ends included."""

    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def yearly(self, amount: Decimal) -> Decimal:
        """`amount` earned in this window, as an amount per year (365 days)."""
        return (Decimal(amount) * 365 / self.days).quantize(Decimal("0.01"), ROUND_HALF_UP)


def window_ending(end: datetime.date, months: int = DEFAULT_MONTHS) -> Window:
    """The `months` months up to and including `end` (12 months to 2011-12-09 start on
    2010-12-10)."""
    month = end.month - months
    year = end.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = min(end.day, _days_in_month(year, month))
    return Window(datetime.date(year, month, day) + datetime.timedelta(days=1), end)


def _days_in_month(year: int, month: int) -> int:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return (following - datetime.timedelta(days=1)).day


# --- purchases --------------------------------------------------------------------------------


@dataclass
class Cell:
    """What one account bought of one product in the window."""

    revenue: Decimal | None = None  # None: no revenue line in the window
    won_value: Decimal = Decimal(0)
    won_deals: int = 0

    @property
    def source(self) -> str | None:
        if self.revenue is not None:
            return SOURCE_REVENUE
        return SOURCE_DEAL if self.won_deals else None

    @property
    def amount(self) -> Decimal:
        """Invoiced revenue; the won deals' value only where nothing was invoiced."""
        return self.revenue if self.revenue is not None else self.won_value

    @property
    def bought(self) -> bool:
        return self.amount > 0


def _cents(value) -> Decimal:
    """Sums come back with SQLite's long decimals: exact cents again."""
    return Decimal(value or 0).quantize(Decimal("0.01"), ROUND_HALF_UP)


def purchases(window: Window, accounts: QuerySet[Account] | None = None) -> dict:
    """{(account id, product id): Cell} for `accounts` (None: every account) in `window`."""
    lines = RevenueLine.objects.filter(invoiced_on__gte=window.start, invoiced_on__lte=window.end)
    deals = Deal.objects.filter(
        stage__outcome=StageOutcome.WON,
        closed_on__gte=window.start,
        closed_on__lte=window.end,
        product__isnull=False,
        account__isnull=False,
    )
    if accounts is not None:
        ids = accounts.values("pk")
        lines = lines.filter(account_id__in=ids)
        deals = deals.filter(account_id__in=ids)
    cells: dict[tuple[int, int], Cell] = defaultdict(Cell)
    for account_id, product_id, revenue in (
        lines.values_list("account_id", "product_id")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("account_id", "product_id", "total")
    ):
        cells[account_id, product_id].revenue = _cents(revenue)
    for account_id, product_id, value, count in (
        deals.values_list("account_id", "product_id")
        .annotate(total=Sum("value"), n=Count("pk"))
        .order_by()
        .values_list("account_id", "product_id", "total", "n")
    ):
        cell = cells[account_id, product_id]
        cell.won_value, cell.won_deals = _cents(value), count
    return dict(cells)


# --- the accounts on the page ----------------------------------------------------------------


def whitespace_accounts(
    user: User, *, kam: User | None = None, sector: Sector | None = None
) -> QuerySet[Account]:
    """The key accounts `user` may see (a KAM: their own and those under them), filtered."""
    accounts = visible_accounts(user).filter(tier=Tier.KEY_ACCOUNT)
    if kam is not None:
        accounts = accounts.filter(owner=kam)
    if sector is not None:
        accounts = accounts.filter(sector=sector)
    return accounts.select_related("owner", "sector")


WHITESPACE_ROLES = {
    Role.KEY_ACCOUNT_MANAGER,
    Role.SALES_MANAGER,
    Role.HEAD_OF_SALES,
    Role.ADMIN,
}


def may_use_whitespace(user: User) -> bool:
    """The key-account side (KAMs, Sales Managers, Head of Sales, admins); not reps."""
    return user.is_superuser or user.role in WHITESPACE_ROLES


def kam_filter_choices(user: User) -> QuerySet[User]:
    """The KAMs owning key accounts that `user` can see (for the filter)."""
    owners = visible_accounts(user).filter(tier=Tier.KEY_ACCOUNT).values("owner_id")
    return User.objects.filter(pk__in=owners, role=Role.KEY_ACCOUNT_MANAGER).order_by(
        "last_name", "first_name", "username"
    )


# --- the matrix ------------------------------------------------------------------------------


@dataclass
class Matrix:
    window: Window
    accounts: list[Account]
    products: list[Product]
    cells: dict[tuple[int, int], Cell]
    account_totals: dict[int, Decimal]
    buyers: dict[int, int]  # product id -> accounts in the matrix that buy it
    account_count: int  # before the row limit
    product_count: int  # before the column limit

    def cell(self, account: Account, product: Product) -> Cell | None:
        return self.cells.get((account.pk, product.pk))

    def rows(self) -> list[dict]:
        return [
            {
                "account": account,
                "total": self.account_totals.get(account.pk, Decimal(0)),
                "cells": [
                    {"product": product, "cell": self.cells.get((account.pk, product.pk))}
                    for product in self.products
                ],
            }
            for account in self.accounts
        ]


def whitespace_matrix(
    accounts: QuerySet[Account],
    window: Window,
    *,
    max_accounts: int = MAX_ACCOUNTS,
    max_products: int = MAX_PRODUCTS,
) -> Matrix:
    """Account × product: the accounts with the most bought first, then the rest by name;
    columns: the active products, those bought by the most of these accounts first."""
    cells = purchases(window, accounts)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    buyers: Counter[int] = Counter()
    amounts: dict[int, Decimal] = defaultdict(Decimal)
    for (account_id, product_id), cell in cells.items():
        totals[account_id] += cell.amount
        amounts[product_id] += cell.amount
        if cell.bought:
            buyers[product_id] += 1
    all_accounts = sorted(accounts, key=lambda a: (-totals.get(a.pk, 0), a.name.lower(), a.pk))
    products = list(
        Product.objects.filter(pk__in=[pid for pid, n in buyers.items() if n])
        | Product.objects.filter(is_active=True)
    )
    products.sort(key=lambda p: (-buyers.get(p.pk, 0), -amounts.get(p.pk, 0), p.code))
    shown_accounts = all_accounts[:max_accounts]
    shown_products = products[:max_products]
    return Matrix(
        window=window,
        accounts=shown_accounts,
        products=shown_products,
        cells=cells,
        account_totals=dict(totals),
        buyers=dict(buyers),
        account_count=len(all_accounts),
        product_count=len(products),
    )


# --- cross-sell candidates --------------------------------------------------------------------


@dataclass
class Candidate:
    account: Account
    product: Product
    buyers: int  # neighbours that buy the product
    neighbours: int  # neighbours considered
    basis: str  # BASIS_SIMILAR or BASIS_SECTOR
    median_yearly: Decimal
    shared: list[Product] = field(default_factory=list)  # what the buyers share with it
    sector: Sector | None = None

    def as_dict(self) -> dict:
        """The candidate for the API and the command line (reason in the active language)."""

        def product(item: Product) -> dict:
            return {"id": item.pk, "code": item.code, "name": item.name}

        return {
            "account": self.account.pk,
            "account_name": self.account.name,
            "product": product(self.product),
            "buyers": self.buyers,
            "neighbours": self.neighbours,
            "basis": self.basis,
            "median_yearly": self.median_yearly,
            "shared": [product(p) for p in self.shared],
            "reason": self.text(),
        }

    @property
    def share(self) -> float:
        return self.buyers / self.neighbours if self.neighbours else 0.0

    def text(self) -> str:
        median = compact_money(self.median_yearly)
        if self.basis == BASIS_SECTOR:
            return _(
                "bought by {buyers} of the {neighbours} accounts in its sector ({sector}); "
                "median {median} a year"
            ).format(
                buyers=self.buyers,
                neighbours=self.neighbours,
                sector=self.sector.label if self.sector else "",
                median=median,
            )
        names = [product.name for product in self.shared]
        if len(names) >= 2:
            shared = _("{first} and {second}").format(first=names[0], second=names[1])
        else:
            shared = names[0] if names else ""
        return _(
            "bought by {buyers} of the {neighbours} most similar accounts (most of them also "
            "buy {shared}); median {median} a year"
        ).format(buyers=self.buyers, neighbours=self.neighbours, shared=shared, median=median)


class CrossSell:
    """The company's purchases in a window, loaded once; `candidates_for` ranks per account."""

    def __init__(
        self,
        window: Window,
        *,
        neighbours: int = NEIGHBOURS,
        min_buyers: int = MIN_BUYERS,
        limit: int = CANDIDATES_PER_ACCOUNT,
    ):
        self.window = window
        self.k = neighbours
        self.min_buyers = min_buyers
        self.limit = limit
        self.amounts: dict[int, dict[int, Decimal]] = defaultdict(dict)  # account -> product
        self.buyers_of: dict[int, set[int]] = defaultdict(set)  # product -> accounts
        for (account_id, product_id), cell in purchases(window).items():
            if cell.bought:
                self.amounts[account_id][product_id] = cell.amount
                self.buyers_of[product_id].add(account_id)
        self.active = set(Product.objects.filter(is_active=True).values_list("pk", flat=True))
        self.codes = dict(
            Product.objects.filter(pk__in=list(self.buyers_of)).values_list("pk", "code")
        )
        self._products: dict[int, Product] = {}
        self._by_sector: dict[int, list[int]] = {}
        self._sector_of: dict[int, int | None] | None = None

    def _load(self, ids: set[int]) -> dict[int, Product]:
        """Products by id, each read from the database once per engine."""
        missing = [pid for pid in ids if pid not in self._products]
        if missing:
            self._products.update(Product.objects.in_bulk(missing))
        return self._products

    def preload_products(self) -> None:
        """Read every product bought in the window at once (for many accounts in a row)."""
        self._load(set(self.codes))

    def bought(self, account_id: int) -> set[int]:
        return set(self.amounts.get(account_id, {}))

    def _sectors(self) -> dict[int, int | None]:
        if self._sector_of is None:
            self._sector_of = dict(
                Account.objects.filter(pk__in=list(self.amounts)).values_list("pk", "sector_id")
            )
        return self._sector_of

    def neighbours(self, account: Account) -> tuple[list[int], str]:
        """The similar accounts' ids, most similar first, and the basis of the choice."""
        own = self.bought(account.pk)
        if own:
            overlap: Counter[int] = Counter()
            for product_id in own:
                overlap.update(self.buyers_of[product_id])
            overlap.pop(account.pk, None)
            # Peers with the same overlap and the same number of products are equally similar:
            # rank those groups (few) exactly, then take the lowest ids from each in turn.
            groups: dict[tuple[int, int], list[int]] = defaultdict(list)
            for peer, shared in overlap.items():
                groups[shared, len(self.amounts[peer])].append(peer)
            order = sorted(
                groups,
                key=lambda group: (-Fraction(group[0], len(own) + group[1] - group[0]), -group[0]),
            )
            chosen: list[int] = []
            for group in order:
                if len(chosen) >= self.k:
                    break
                chosen.extend(heapq.nsmallest(self.k - len(chosen), groups[group]))
            return chosen, BASIS_SIMILAR
        if account.sector_id is None:
            return [], BASIS_SECTOR
        peers = [peer for peer in self._sector_ranking(account.sector_id) if peer != account.pk]
        return peers[: self.k], BASIS_SECTOR

    def _sector_ranking(self, sector_id: int) -> list[int]:
        """The accounts of a sector that buy anything, the biggest first, then the lower id."""
        if sector_id not in self._by_sector:
            peers = [peer for peer, sid in self._sectors().items() if sid == sector_id]
            totals = {peer: sum(self.amounts[peer].values()) for peer in peers}
            peers.sort(key=lambda peer: (-totals[peer], peer))
            self._by_sector[sector_id] = peers[: self.k + 1]
        return self._by_sector[sector_id]

    def candidates_for(self, account: Account) -> list[Candidate]:
        own = self.bought(account.pk)
        peers, basis = self.neighbours(account)
        if not peers:
            return []
        counts: Counter[int] = Counter()
        for peer in peers:
            counts.update(product for product in self.amounts[peer] if product not in own)
        ranked = []
        for product_id, n in counts.items():
            if n < self.min_buyers or product_id not in self.active:
                continue
            yearly = [
                self.window.yearly(self.amounts[peer][product_id])
                for peer in peers
                if product_id in self.amounts[peer]
            ]
            median = Decimal(statistics.median(yearly)).quantize(Decimal("0.01"), ROUND_HALF_UP)
            ranked.append((product_id, n, median))
        ranked.sort(key=lambda row: (-row[1], -row[2], self.codes[row[0]]))
        chosen = []
        for product_id, n, median in ranked[: self.limit]:
            shared_ids = []
            if basis == BASIS_SIMILAR:
                held: Counter[int] = Counter()
                for peer in peers:
                    if product_id in self.amounts[peer]:
                        held.update(p for p in self.amounts[peer] if p in own)
                shared_ids = [
                    pid for pid, _c in sorted(held.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
                ]
            chosen.append((product_id, n, median, shared_ids))
        products = self._load({pid for row in chosen for pid in (row[0], *row[3])})
        found = []
        for product_id, n, median, shared_ids in chosen:
            found.append(
                Candidate(
                    account=account,
                    product=products[product_id],
                    buyers=n,
                    neighbours=len(peers),
                    basis=basis,
                    median_yearly=median,
                    shared=[products[pid] for pid in shared_ids],
                    sector=account.sector if basis == BASIS_SECTOR else None,
                )
            )
        return found


def cross_sell_candidates(account: Account, window: Window, **options) -> list[Candidate]:
    """The ranked candidates of one account (see the module's description)."""
    return CrossSell(window, **options).candidates_for(account)


def candidate_order(candidate: Candidate) -> tuple:
    """The portfolio's order: the best supported first (share of neighbours, then count)."""
    return (
        -candidate.share,
        -candidate.buyers,
        -candidate.median_yearly,
        candidate.account.name.lower(),
        candidate.product.code,
    )


def portfolio_candidates(
    accounts: QuerySet[Account] | list[Account], window: Window, **options
) -> list[Candidate]:
    """The candidates of every account in `accounts`, the best supported first."""
    engine = CrossSell(window, **options)
    engine.preload_products()
    found = [c for account in accounts for c in engine.candidates_for(account)]
    found.sort(key=candidate_order)
    return found
