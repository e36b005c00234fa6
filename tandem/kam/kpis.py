"""The Key Account Manager's KPIs: each defined once here, formulas in docs/kam-kpis.md.

A KAM's portfolio is the key accounts (tier == key) they own. Revenue is invoiced revenue
(`tandem.revenue.RevenueLine`). Every revenue figure is an SQL aggregate over the portfolio's
lines (conditional sums, one query for every window at once); Python only divides already
aggregated numbers and sums them per KAM and for the company.

Windows (see `KamWindow`): the period, cut at today when it is not over yet; the same dates a
year before (for growth); the 12 months before the period (for cross-selling); the trailing
12 months up to the period's end and the 12 months before those (for lifetime value).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from tandem.accounts.models import Account, Contact, Contract, ContractStatus, Tier
from tandem.core.periods import Period
from tandem.kam.models import KamAccountFigures
from tandem.keyaccounts.selectors import coverage_gaps, year_before
from tandem.renewals.selectors import OUTCOMES, RETAINED, RiskScore, risk_scores
from tandem.revenue.models import RevenueLine
from tandem.users.models import Role, User

ZERO = Decimal("0")
CENT = Decimal("0.01")
HORIZON_YEARS = 3  # yearly revenue shown for the period's year and the two before
MAX_LIFETIME_YEARS = 10  # expected lifetime when no key account was lost (churn 0)
RENEWAL_LOOKAHEAD_DAYS = 180  # renewal risk: contracts ending within this many days
TOP_N = 10


def _cents(value) -> Decimal:
    """A database sum as exact cents (SQLite sums decimals as floats: 848.429999999999)."""
    if value is None:
        return ZERO
    return Decimal(value).quantize(Decimal("0.01"))


def _ratio(numerator, denominator) -> float | None:
    if not denominator:
        return None
    return float(numerator) / float(denominator)


@dataclass(frozen=True)
class KamWindow:
    """The date windows every KAM KPI of one period uses (all bounds included)."""

    period: Period
    today: datetime.date

    @property
    def start(self) -> datetime.date:
        return self.period.start

    @property
    def end(self) -> datetime.date:
        """The period's last day, or today while the period is running."""
        return min(self.period.end, self.today)

    @property
    def started(self) -> bool:
        return self.start <= self.end

    @property
    def prior_start(self) -> datetime.date:
        return year_before(self.start)

    @property
    def prior_end(self) -> datetime.date:
        return year_before(self.end)

    @property
    def before_start(self) -> datetime.date:
        """Cross-selling looks back 12 months before the period: [before_start, start)."""
        return year_before(self.start)

    @property
    def trailing_start(self) -> datetime.date:
        """The trailing 12 months up to the window's end: (year_before(end), end]."""
        return year_before(self.end) + datetime.timedelta(days=1)

    @property
    def churn_base_start(self) -> datetime.date:
        """The 12 months before the trailing 12 months."""
        return year_before(self.trailing_start)

    @property
    def years(self) -> list[int]:
        last = self.period.end.year
        return list(range(last - HORIZON_YEARS + 1, last + 1))

    @property
    def earliest(self) -> datetime.date:
        return min(
            self.prior_start,
            self.before_start,
            self.churn_base_start,
            datetime.date(self.years[0], 1, 1),
        )


# --- who sees whose portfolio --------------------------------------------------------------


def may_open_cockpit(user: User) -> bool:
    """KAMs (their own portfolio), Sales Managers (one KAM at a time), Head of Sales and
    admins (every KAM); sales reps not."""
    return user.is_active and (
        user.sees_everything or user.role in {Role.KEY_ACCOUNT_MANAGER, Role.SALES_MANAGER}
    )


def kams_to_pick(user: User) -> QuerySet[User]:
    """The KAMs whose KPIs `user` may see: a KAM only themself; Sales Managers, Head of Sales
    and admins every KAM (active ones, and inactive ones still owning key accounts)."""
    if not may_open_cockpit(user):
        return User.objects.none()
    kams = every_kam()
    if user.role == Role.KEY_ACCOUNT_MANAGER and not user.sees_everything:
        kams = kams.filter(pk=user.pk)
    return kams


def every_kam() -> QuerySet[User]:
    """Every KAM: the active ones, and inactive ones still owning key accounts (by name)."""
    return (
        User.objects.filter(
            Q(role=Role.KEY_ACCOUNT_MANAGER, is_active=True)
            | Q(owned_accounts__tier=Tier.KEY_ACCOUNT, role=Role.KEY_ACCOUNT_MANAGER)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def kams_in_scope(user: User, kam: User | None = None) -> list[User]:
    """Whose portfolios a report for `user` covers: the chosen KAM (when allowed), else a KAM
    themself, every KAM for Head of Sales and admins, the first KAM for a Sales Manager (they
    look at one KAM at a time). PermissionDenied for a rep or a KAM they may not see."""
    if not may_open_cockpit(user):
        raise PermissionDenied
    allowed = kams_to_pick(user)
    if kam is not None:
        if not allowed.filter(pk=kam.pk).exists():
            raise PermissionDenied
        return [kam]
    if user.role == Role.KEY_ACCOUNT_MANAGER and not user.sees_everything:
        return [user]
    kams = list(allowed)
    if user.sees_everything:
        return kams
    return kams[:1]


def portfolio(kams: list[User]) -> QuerySet[Account]:
    """The key accounts the given KAMs own."""
    return Account.objects.filter(tier=Tier.KEY_ACCOUNT, owner__in=[k.pk for k in kams])


# --- the per-account figures, in bulk ------------------------------------------------------


def _revenue_by_account(accounts: QuerySet, window: KamWindow) -> dict[int, dict]:
    """Every revenue window per account in one aggregate query."""

    def between(start, end, **extra):
        return Q(invoiced_on__gte=start, invoiced_on__lte=end, **extra)

    sums = {
        "revenue": Sum("amount", filter=between(window.start, window.end)),
        "revenue_prior_year": Sum("amount", filter=between(window.prior_start, window.prior_end)),
        "trailing_revenue": Sum("amount", filter=between(window.trailing_start, window.end)),
        "bought_before": Count(
            "pk",
            filter=Q(
                invoiced_on__gte=window.before_start,
                invoiced_on__lt=window.start,
                amount__gt=0,
            ),
        ),
    }
    for year in window.years:
        sums[f"y{year}"] = Sum(
            "amount",
            filter=between(
                datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), window.today)
            ),
        )
    # each row: account_id and the sums (**sums: names the type checker cannot see)
    rows: QuerySet[RevenueLine, Any] = (
        RevenueLine.objects.filter(
            account__in=accounts, invoiced_on__gte=window.earliest, invoiced_on__lte=window.end
        )
        .values("account_id")
        .annotate(**sums)
    )
    return {
        row.pop("account_id"): {
            key: value if key == "bought_before" else _cents(value) for key, value in row.items()
        }
        for row in rows
    }


def _cross_sell_by_account(accounts: QuerySet, window: KamWindow) -> dict[int, dict]:
    """Per account, the revenue in the period from products it had not bought (no line with a
    positive amount) in the 12 months before the period, and how many such products it bought."""
    bought_before = RevenueLine.objects.filter(
        account_id=OuterRef("account_id"),
        product_id=OuterRef("product_id"),
        invoiced_on__gte=window.before_start,
        invoiced_on__lt=window.start,
        amount__gt=0,
    )
    rows = (
        RevenueLine.objects.filter(
            account__in=accounts, invoiced_on__gte=window.start, invoiced_on__lte=window.end
        )
        .filter(~Exists(bought_before))
        .values("account_id")
        .annotate(
            new_revenue=Sum("amount"),
            new_products=Count("product_id", filter=Q(amount__gt=0), distinct=True),
        )
    )
    return {
        row["account_id"]: {
            "new_revenue": _cents(row["new_revenue"]),
            "new_products": row["new_products"],
        }
        for row in rows
    }


def key_account_churn(window: KamWindow) -> float | None:
    """Share of the key accounts (all of them, company-wide, so every view shows the same
    lifetime values) that bought in the 12 months before the trailing 12 months and bought
    nothing in the trailing 12 months. "Bought": a revenue line with a positive amount. None
    when no key account bought in that base year. Two index probes per key account."""

    def bought(start, end):
        return Exists(
            RevenueLine.objects.filter(
                account_id=OuterRef("pk"),
                invoiced_on__gte=start,
                invoiced_on__lte=end,
                amount__gt=0,
            )
        )

    base_end = window.trailing_start - datetime.timedelta(days=1)
    counts = (
        Account.objects.filter(tier=Tier.KEY_ACCOUNT)
        .filter(bought(window.churn_base_start, base_end))
        .aggregate(
            base=Count("pk"),
            lost=Count("pk", filter=~Q(bought(window.trailing_start, window.end))),
        )
    )
    return _ratio(counts["lost"], counts["base"])


def expected_lifetime_years(churn: float | None) -> float:
    """1 / churn, between 1 and MAX_LIFETIME_YEARS (the maximum when nobody churned)."""
    if not churn:
        return float(MAX_LIFETIME_YEARS)
    return max(1.0, min(float(MAX_LIFETIME_YEARS), 1 / churn))


def _gaps_by_account(accounts: QuerySet, now: datetime.datetime) -> dict[int, list[str]]:
    """The stakeholder coverage gaps of every account (one query for all contacts, read as
    plain rows: model instances cost more than the query at thousands of contacts)."""
    contacts: dict[int, list[SimpleNamespace]] = {}
    rows = (
        Contact.objects.filter(account__in=accounts)
        .values("pk", "account_id", "is_active", "buying_role", "hierarchy_level")
        .annotate(last_activity_at=Max("activities__occurred_at"))
    )
    for row in rows:
        contacts.setdefault(row["account_id"], []).append(SimpleNamespace(**row))
    return {
        account_id: coverage_gaps(contacts.get(account_id, []), now)
        for account_id in accounts.values_list("pk", flat=True)
    }


def company_revenue(window: KamWindow) -> Decimal:
    """All invoiced revenue of the company in the window (every account)."""
    total = RevenueLine.objects.filter(
        invoiced_on__gte=window.start, invoiced_on__lte=window.end
    ).aggregate(total=Sum("amount"))["total"]
    return _cents(total)


# --- renewals (the renewals app's rules) --------------------------------------------------


def _renewal_figures(accounts: QuerySet, window: KamWindow) -> tuple[dict, dict]:
    """Contracts ending in the period (for the renewal rate) and the risks of the active
    contracts ending in the next RENEWAL_LOOKAHEAD_DAYS days or already ended without an
    outcome (as tandem.renewals' upcoming renewals), both per account."""
    due: dict[int, list[Contract]] = {}
    for contract in Contract.objects.filter(
        account__in=accounts, end_on__gte=window.start, end_on__lte=window.period.end
    ).only("pk", "account_id", "status"):
        due.setdefault(contract.account_id, []).append(contract)
    upcoming = list(
        Contract.objects.filter(
            account__in=accounts,
            status=ContractStatus.ACTIVE,
            end_on__lte=window.today + datetime.timedelta(days=RENEWAL_LOOKAHEAD_DAYS),
        ).only(
            "pk",
            "account_id",
            "status",
            "end_on",
            "notice_period_days",
            "renewal_terms",
            "annual_value",
        )
    )
    risks: dict[int, list[RiskScore]] = {}
    # the scores and levels of renewal_risks, without its sentences (not shown here)
    for risk in risk_scores(upcoming, window.today) if upcoming else []:
        risks.setdefault(risk.contract.account_id, []).append(risk)
    return due, risks


def _is_high(risk) -> bool:
    return risk.level == "high"


# --- concentration -------------------------------------------------------------------------


def concentration(revenues: dict, top_n: int = TOP_N) -> dict:
    """Shares of a group's revenue: {key: share}, the top-N share and the Herfindahl index
    (sum of squared shares, 0–1). Only positive revenues count; the total is their sum."""
    positive = {key: value for key, value in revenues.items() if value and value > 0}
    total = sum(positive.values(), ZERO)
    if not total:
        return {"total": ZERO, "shares": {}, "top10_share": None, "herfindahl_index": None}
    shares = {key: float(value) / float(total) for key, value in positive.items()}
    ranked = sorted(shares.values(), reverse=True)
    return {
        "total": total,
        "shares": shares,
        "top10_share": sum(ranked[:top_n]),
        "herfindahl_index": sum(share * share for share in ranked),
    }


# --- the report ----------------------------------------------------------------------------


@dataclass(kw_only=True)
class AccountKpis:
    """One key account's KPIs (docs/kam-kpis.md): money as Decimal, ratios as floats (0.25 =
    25 %). `cross_sell_*` are None for a new customer (nothing bought in the 12 months before
    the period); `share` is its part of the revenue of every account in the report,
    `portfolio_share` of its KAM's portfolio."""

    id: int
    name: str
    kam: User
    revenue: Decimal
    revenue_prior_year: Decimal
    account_growth: float | None
    customer_lifetime_value: Decimal
    cross_sell_success: bool | None
    cross_sell_products: int | None
    cross_sell_revenue: Decimal
    stakeholder_coverage: bool
    coverage_gaps: list[str]
    renewal_risk: str | None
    renewal_risk_score: int | None
    portfolio_share: float = 0.0
    share: float = 0.0
    share_of_company_revenue: float | None = None
    revenue_by_year: dict[int, Decimal]
    # what the portfolio's totals are made of: the contracts ending in the period (how many,
    # with an outcome, renewed/expanded/reduced) and the upcoming renewals at high risk
    renewals_due: int = field(default=0, repr=False, compare=False)
    renewals_decided: int = field(default=0, repr=False, compare=False)
    renewals_kept: int = field(default=0, repr=False, compare=False)
    high_risks: int = field(default=0, repr=False, compare=False)
    high_risk_value: Decimal = field(default=ZERO, repr=False, compare=False)

    def figures(self) -> dict:
        """The KPIs by name (ACCOUNT_KPI_KEYS, in the order reports show them)."""
        return {key: getattr(self, key) for key in ACCOUNT_KPI_KEYS}


# The per-account KPI names, in the order reports show them.
ACCOUNT_KPI_KEYS = [
    "revenue",
    "revenue_prior_year",
    "account_growth",
    "customer_lifetime_value",
    "cross_sell_success",
    "cross_sell_products",
    "cross_sell_revenue",
    "stakeholder_coverage",
    "coverage_gaps",
    "renewal_risk",
    "renewal_risk_score",
    "portfolio_share",
    "share_of_company_revenue",
]


@dataclass(kw_only=True)
class PortfolioKpis:
    """The KPIs of a group of key accounts (a KAM's portfolio, or every one in a report), named
    as in docs/kam-kpis.md, with the revenue per year and each account's share of the group's
    revenue (`shares`, by account id; only accounts with positive revenue)."""

    accounts: int
    revenue: Decimal
    revenue_prior_year: Decimal
    account_growth: float | None
    customer_lifetime_value: Decimal | None
    portfolio_lifetime_value: Decimal
    renewal_rate: float | None
    renewals_due: int
    cross_sell_success: float | None
    cross_sell_accounts: int
    cross_sell_revenue: Decimal
    stakeholder_coverage: float | None
    accounts_with_gaps: int
    renewal_risk: int
    renewal_risk_value: Decimal
    top10_share: float | None
    herfindahl_index: float | None
    share_of_company_revenue: float | None
    revenue_by_year: dict[int, Decimal]
    shares: dict[int, float]

    def figures(self) -> dict:
        """The KPIs by name (KAM_KPI_KEYS, in the order reports show them)."""
        return {key: getattr(self, key) for key in KAM_KPI_KEYS}


# The KPI names of a group, in the order reports show them.
KAM_KPI_KEYS = [
    f.name for f in fields(PortfolioKpis) if f.name not in {"revenue_by_year", "shares"}
]


@dataclass(kw_only=True)
class KamPortfolioKpis(PortfolioKpis):
    """One KAM's portfolio."""

    kam: User


@dataclass
class KamKpis:
    """The KPIs of one period for some KAMs: per account, per KAM and for all of them."""

    window: KamWindow
    kams: list[User]
    accounts: list[AccountKpis]
    per_kam: list[KamPortfolioKpis]
    company: PortfolioKpis  # every account of the report
    churn: float | None
    lifetime_years: float
    company_revenue: Decimal | None


def _group(rows: list[AccountKpis], window: KamWindow, company_total: Decimal | None) -> dict:
    """The KPIs (PortfolioKpis' fields) of a group of accounts from their rows."""
    revenue = sum((r.revenue for r in rows), ZERO)
    prior = sum((r.revenue_prior_year for r in rows), ZERO)
    existing = [r for r in rows if r.cross_sell_success is not None]
    cross_sold = [r for r in existing if r.cross_sell_success]
    decided = sum(r.renewals_decided for r in rows)
    spread = concentration({r.id: r.revenue for r in rows})
    lifetime = sum((r.customer_lifetime_value for r in rows), ZERO)
    covered = [r for r in rows if r.stakeholder_coverage]
    return {
        "accounts": len(rows),
        "revenue": revenue,
        "revenue_prior_year": prior,
        "account_growth": _ratio(revenue - prior, prior) if window.started else None,
        "customer_lifetime_value": (lifetime / len(rows)).quantize(Decimal("0.01"))
        if rows
        else None,
        "portfolio_lifetime_value": lifetime,
        # tandem.renewals.selectors.renewal_rate, from the accounts' counts
        "renewal_rate": _ratio(sum(r.renewals_kept for r in rows), decided),
        "renewals_due": sum(r.renewals_due for r in rows),
        "cross_sell_success": _ratio(len(cross_sold), len(existing)),
        "cross_sell_accounts": len(cross_sold),
        "cross_sell_revenue": sum((r.cross_sell_revenue for r in existing), ZERO),
        "stakeholder_coverage": _ratio(len(covered), len(rows)),
        "accounts_with_gaps": len(rows) - len(covered),
        "renewal_risk": sum(r.high_risks for r in rows),
        "renewal_risk_value": sum((r.high_risk_value for r in rows), ZERO),
        "top10_share": spread["top10_share"],
        "herfindahl_index": spread["herfindahl_index"],
        "share_of_company_revenue": _ratio(revenue, company_total)
        if company_total is not None
        else None,
        "revenue_by_year": {
            year: sum((r.revenue_by_year[year] for r in rows), ZERO) for year in window.years
        },
        "shares": spread["shares"],
    }


# An account's row as `measure` makes it, or as read back (the fields of KamAccountFigures)
Measured = KamAccountFigures | SimpleNamespace


def measure(accounts: QuerySet[Account], window: KamWindow) -> list[KamAccountFigures]:
    """What `compute` needs of each of `accounts` in the window, as (unsaved) rows of the
    count table, ordered by name: everything that depends on one account alone."""
    facts = list(accounts.order_by("name", "pk").values("pk", "name", "owner_id"))
    if not facts:
        return []
    revenue = _revenue_by_account(accounts, window)
    cross = _cross_sell_by_account(accounts, window) if window.started else {}
    today = window.today
    now = timezone.now() if today == timezone.localdate() else _end_of(today)
    gaps = _gaps_by_account(accounts, now)
    due, risks = _renewal_figures(accounts, window)
    computed_at = timezone.now()
    rows = []
    for fact in facts:
        money = revenue.get(fact["pk"], {})
        sold = cross.get(fact["pk"])
        existing = money.get("bought_before", 0) > 0
        account_risks = sorted(risks.get(fact["pk"], []), key=lambda r: -r.score)
        high = [risk for risk in account_risks if _is_high(risk)]
        statuses = [contract.status for contract in due.get(fact["pk"], [])]
        by_year = [money.get(f"y{year}") or ZERO for year in window.years]
        rows.append(
            KamAccountFigures(
                period=window.period.code,
                account_id=fact["pk"],
                kam_id=fact["owner_id"],
                name=fact["name"],
                revenue=money.get("revenue") or ZERO,
                revenue_prior_year=money.get("revenue_prior_year") or ZERO,
                trailing_revenue=money.get("trailing_revenue") or ZERO,
                revenue_two_years_before=by_year[0],
                revenue_year_before=by_year[1],
                revenue_year=by_year[2],
                cross_sell_products=(sold["new_products"] if sold else 0) if existing else None,
                cross_sell_revenue=((sold["new_revenue"] or ZERO) if sold else ZERO)
                if existing
                else ZERO,
                coverage_gaps=gaps.get(fact["pk"], []),
                renewal_risk=account_risks[0].level if account_risks else None,
                renewal_risk_score=account_risks[0].score if account_risks else None,
                renewals_due=len(statuses),
                renewals_decided=sum(1 for s in statuses if s in OUTCOMES),
                renewals_kept=sum(1 for s in statuses if s in RETAINED),
                high_risks=len(high),
                high_risk_value=sum((risk.contract.annual_value for risk in high), ZERO),
                computed_at=computed_at,
            )
        )
    return rows


def _account_kpis(
    row: Measured,
    kam: User,
    window: KamWindow,
    lifetime: Decimal,
    company_total: Decimal | None,
) -> AccountKpis:
    """One account's KPIs from its row (and the period's expected lifetime in years and
    company revenue)."""
    existing = row.cross_sell_products is not None
    by_year = [row.revenue_two_years_before, row.revenue_year_before, row.revenue_year]
    return AccountKpis(
        id=row.account_id,
        name=row.name,
        kam=kam,
        revenue=row.revenue,
        revenue_prior_year=row.revenue_prior_year,
        account_growth=_ratio(row.revenue - row.revenue_prior_year, row.revenue_prior_year)
        if window.started
        else None,
        customer_lifetime_value=(max(row.trailing_revenue, ZERO) * lifetime).quantize(CENT),
        cross_sell_success=bool(row.cross_sell_products) if existing else None,
        cross_sell_products=row.cross_sell_products,
        cross_sell_revenue=row.cross_sell_revenue,
        stakeholder_coverage=not row.coverage_gaps,
        coverage_gaps=list(row.coverage_gaps),
        renewal_risk=row.renewal_risk,
        renewal_risk_score=row.renewal_risk_score,
        share_of_company_revenue=_ratio(row.revenue, company_total)
        if company_total is not None
        else None,
        revenue_by_year=dict(zip(window.years, by_year, strict=True)),
        renewals_due=row.renewals_due,
        renewals_decided=row.renewals_decided,
        renewals_kept=row.renewals_kept,
        high_risks=row.high_risks,
        high_risk_value=row.high_risk_value,
    )


def assemble(
    kams: list[User],
    window: KamWindow,
    measured: Sequence[Measured],
    churn: float | None,
    company_total: Decimal | None,
) -> KamKpis:
    """The KPIs of the portfolios of `kams` from their accounts' rows (those of other owners
    are left out), the key-account churn and the company's revenue (None: not shown)."""
    lifetime_years = expected_lifetime_years(churn)
    lifetime = Decimal(str(lifetime_years))
    kam_by_id = {k.pk: k for k in kams}
    rows = [
        _account_kpis(row, kam_by_id[row.kam_id], window, lifetime, company_total)
        for row in measured
        if row.kam_id in kam_by_id
    ]
    by_kam: dict[int, list[AccountKpis]] = {}
    for account in rows:
        by_kam.setdefault(account.kam.pk, []).append(account)
    per_kam = []
    for kam in kams:
        mine = by_kam.get(kam.pk, [])
        group = KamPortfolioKpis(kam=kam, **_group(mine, window, company_total))
        for account in mine:
            account.portfolio_share = group.shares.get(account.id, 0.0)
        per_kam.append(group)
    company = PortfolioKpis(**_group(rows, window, company_total))
    for account in rows:
        account.share = company.shares.get(account.id, 0.0)
    return KamKpis(
        window=window,
        kams=kams,
        accounts=rows,
        per_kam=per_kam,
        company=company,
        churn=churn,
        lifetime_years=lifetime_years,
        company_revenue=company_total,
    )


def compute(
    kams: list[User],
    period: Period,
    today: datetime.date | None = None,
    *,
    with_company_revenue: bool = True,
) -> KamKpis:
    """Every KAM KPI of the period for the portfolios of `kams`, computed now (no permission
    check: callers decide whose portfolios a user may see, see `kams_in_scope`). The job that
    keeps the figures (tandem.kam.figures) measures the same rows and the pages assemble them
    the same way."""
    window = KamWindow(period, today or timezone.localdate())
    rows = measure(portfolio(kams), window)
    company_total = company_revenue(window) if with_company_revenue else None
    return assemble(kams, window, rows, key_account_churn(window), company_total)


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def kam_kpis_for(kam: User, period: Period, today: datetime.date | None = None) -> KamPortfolioKpis:
    """The KPIs of one KAM's portfolio for a period, e.g. `account_growth`, `renewal_rate` and
    `cross_sell_success`. No permission check (for compensation and other services);
    `share_of_company_revenue` is None here (the company total is not computed)."""
    return compute([kam], period, today, with_company_revenue=False).per_kam[0]


@dataclass(frozen=True)
class LossImpact:
    """What losing one account would remove from a group's revenue (its share)."""

    account: AccountKpis
    share: float


def loss_impact(
    accounts: dict[int, AccountKpis], group: PortfolioKpis, limit: int = 3
) -> list[LossImpact]:
    """The group's biggest accounts (of `accounts`, by id) and what losing each would remove
    from its revenue."""
    ranked = sorted(group.shares.items(), key=lambda item: -item[1])[:limit]
    return [LossImpact(account=accounts[pk], share=share) for pk, share in ranked]
