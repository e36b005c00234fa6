"""Reads of account plans and the QBR pack, scoped to what a user may see.

Who sees plans and QBR packs: the Head of Sales and admins all; a Sales Manager those of the
accounts visible to them; everyone else (KAMs, reps) only those of accounts they own.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accountplans.models import AccountPlan, ActionStatus, PlanAction
from tandem.accounts.models import Account, ContractStatus, HierarchyLevel, Tier
from tandem.accounts.selectors import visible_accounts_condition
from tandem.catalog.models import Product
from tandem.core.errors import DomainError
from tandem.core.periods import Period, PeriodKind
from tandem.keyaccounts.selectors import stakeholder_map
from tandem.pipeline.models import Deal, StageOutcome
from tandem.portfolio.selectors import cross_sell_candidates, window_ending
from tandem.renewals.selectors import renewal_risks
from tandem.revenue.models import RevenueLine
from tandem.users.models import Role, User

RENEWAL_HORIZON_DAYS = 180
TREND_QUARTERS = 8
ZERO = Decimal(0)


def account_scope(user: User) -> Q | None:
    """A filter on Account for the accounts whose plans and QBRs `user` sees (None: all)."""
    if user.sees_everything:
        return None
    if user.role == Role.SALES_MANAGER:
        return visible_accounts_condition(user)
    return Q(owner=user)


def plan_accounts(user: User) -> QuerySet[Account]:
    scope = account_scope(user)
    accounts = Account.objects.all()
    return accounts if scope is None else accounts.filter(scope)


def visible_key_accounts(user: User) -> QuerySet[Account]:
    return plan_accounts(user).filter(tier=Tier.KEY_ACCOUNT)


def visible_plans(user: User) -> QuerySet[AccountPlan]:
    plans = AccountPlan.objects.select_related("account__owner")
    if user.sees_everything:
        return plans
    return plans.filter(account__in=plan_accounts(user).values("pk"))


def get_plan_for(user: User, pk: int) -> AccountPlan:
    return get_object_or_404(visible_plans(user), pk=pk)


def get_action_for(user: User, pk: int) -> PlanAction:
    """An action of a visible plan, or one the user owns."""
    actions = PlanAction.objects.select_related("plan__account__owner__team", "owner")
    return get_object_or_404(
        actions.filter(Q(plan__in=visible_plans(user).values("pk")) | Q(owner=user)), pk=pk
    )


def get_key_account_for(user: User, pk: int) -> Account:
    return get_object_or_404(visible_key_accounts(user).select_related("owner"), pk=pk)


def with_action_counts(plans: QuerySet[AccountPlan], today: datetime.date) -> QuerySet:
    """Each plan with its actions counted per status, `overdue` (not done, due before today)
    and `next_review` (the first review date from today on)."""

    def count(condition: Q) -> Count:
        return Count("actions", filter=condition, distinct=True)

    return plans.annotate(
        actions_total=Count("actions", distinct=True),
        actions_open=count(Q(actions__status=ActionStatus.OPEN)),
        actions_in_progress=count(Q(actions__status=ActionStatus.IN_PROGRESS)),
        actions_done=count(Q(actions__status=ActionStatus.DONE)),
        actions_blocked=count(Q(actions__status=ActionStatus.BLOCKED)),
        actions_overdue=count(Q(actions__due_on__lt=today) & ~Q(actions__status=ActionStatus.DONE)),
        next_review=Min("reviews__review_on", filter=Q(reviews__review_on__gte=today)),
    )


def key_accounts_without_plan(user: User, year: int) -> QuerySet[Account]:
    """Key accounts the user sees that have no plan for `year`."""
    return (
        visible_key_accounts(user)
        .exclude(plans__year=year)
        .select_related("owner")
        .order_by("name", "pk")
    )


def open_actions_of(user: User) -> QuerySet[PlanAction]:
    """The actions `user` owns that are not done, on any plan (an action's owner may move its
    status even when the plan is not theirs to see), soonest due first."""
    return (
        PlanAction.objects.filter(owner=user)
        .exclude(status=ActionStatus.DONE)
        .select_related("plan__account")
        .order_by("due_on", "pk")
    )


SHOW_ALL, SHOW_MISSING, SHOW_PLANNED = "all", "missing", "planned"  # the plans page's sections


# --- the QBR pack --------------------------------------------------------------------------


def qbr_period(text: str | None, today: datetime.date | None = None) -> Period:
    """The quarter of a QBR: `2026Q3`; none given: the quarter before today's."""
    if not text:
        today = today or timezone.localdate()
        return Period.containing(today, PeriodKind.QUARTER).previous
    period = Period.parse(text)
    if period.kind != PeriodKind.QUARTER:
        raise DomainError(
            _("A QBR covers one quarter: write it as 2026Q3."),
            field="period",
        )
    return period


def _sum(queryset, field: str = "amount") -> Decimal:
    return queryset.aggregate(total=Sum(field))["total"] or ZERO


def _change(now: Decimal, before: Decimal) -> Decimal | None:
    if not before:
        return None
    return ((now - before) * 100 / before).quantize(Decimal("0.1"))


def revenue_trend(account: Account, period: Period) -> list[dict]:
    """Invoiced revenue per quarter, the `TREND_QUARTERS` quarters ending with `period`
    (one query, by month)."""
    first = period.shifted(-(TREND_QUARTERS - 1))
    quarters = [first.shifted(i) for i in range(TREND_QUARTERS)]
    totals = {q.code: ZERO for q in quarters}
    rows = (
        RevenueLine.objects.filter(
            account=account, invoiced_on__gte=first.start, invoiced_on__lte=period.end
        )
        .annotate(month=TruncMonth("invoiced_on"))
        .values("month")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        totals[Period.containing(month, PeriodKind.QUARTER).code] += row["total"]
    return [
        {"period": q.code, "label": quarter_label(q), "total": totals[q.code]} for q in quarters
    ]


def quarter_label(period: Period) -> str:
    return _("Q{quarter} {year}").format(
        quarter=(period.start.month - 1) // 3 + 1, year=period.start.year
    )


def _year_to_date(account: Account, period: Period) -> dict:
    """Invoiced revenue from 1 January to the end of the quarter, against the same span of
    the year before."""
    start = period.start.replace(month=1, day=1)
    end = period.end
    before_start = start.replace(year=start.year - 1)
    before_end = end.replace(year=end.year - 1)  # quarter ends never fall on 29 February
    lines = RevenueLine.objects.filter(account=account)
    now = _sum(lines.filter(invoiced_on__gte=start, invoiced_on__lte=end))
    before = _sum(lines.filter(invoiced_on__gte=before_start, invoiced_on__lte=before_end))
    return {
        "start": start,
        "end": end,
        "total": now,
        "previous": before,
        "change_percent": _change(now, before),
    }


def _products(account: Account, period: Period, plan: AccountPlan | None) -> dict:
    """What the account bought in the quarter and in the 12 months to its end, and the
    whitespace: the plan's products to pursue, and active products it has never bought."""
    twelve_start = period.shifted(-3).start
    lines = RevenueLine.objects.filter(account=account)
    rows = (
        lines.filter(invoiced_on__gte=twelve_start, invoiced_on__lte=period.end)
        .values("product_id", "product__name")
        .annotate(
            year_total=Sum("amount"),
            quarter_total=Sum("amount", filter=Q(invoiced_on__gte=period.start)),
        )
    )
    bought: list[dict[str, Any]] = sorted(
        (
            {
                "product_id": row["product_id"],
                "name": row["product__name"],
                "quarter": row["quarter_total"] or ZERO,
                "twelve_months": row["year_total"] or ZERO,
            }
            for row in rows
        ),
        key=lambda p: (-p["twelve_months"], p["name"]),
    )
    ever = set(lines.values_list("product_id", flat=True).distinct())
    ever |= set(
        Deal.objects.filter(
            account=account, stage__outcome=StageOutcome.WON, product__isnull=False
        ).values_list("product_id", flat=True)
    )
    pursued = []
    if plan is not None:
        open_by_product: dict[int, Mapping[str, Any]] = {
            row["product_id"]: row
            for row in Deal.objects.filter(
                account=account, stage__outcome=StageOutcome.OPEN, product__isnull=False
            )
            .values("product_id")
            .annotate(count=Count("pk"), value=Sum("value"))
        }
        bought_ids = {p["product_id"]: p for p in bought}
        for product in plan.whitespace.order_by("name"):
            open_deals = open_by_product.get(product.pk, {})
            pursued.append(
                {
                    "product_id": product.pk,
                    "name": product.name,
                    "bought": product.pk in bought_ids,
                    "twelve_months": bought_ids.get(product.pk, {}).get("twelve_months", ZERO),
                    "open_deals": open_deals.get("count", 0),
                    "open_value": open_deals.get("value") or ZERO,
                }
            )
    # what similar accounts buy (tandem.portfolio): the reason for a pursued product, and
    # the other candidates
    window = window_ending(period.end, 12)
    candidates = {c.product.pk: c for c in cross_sell_candidates(account, window)}
    for row in pursued:
        candidate = candidates.get(row["product_id"])
        row["reason"] = candidate.text() if candidate else ""
    pursued_ids = {p["product_id"] for p in pursued}
    suggested = [
        {"product_id": pid, "name": c.product.name, "reason": c.text()}
        for pid, c in candidates.items()
        if pid not in pursued_ids
    ]
    never = list(
        Product.objects.filter(is_active=True)
        .exclude(pk__in=ever | pursued_ids | set(candidates))
        .order_by("name")
        .values_list("name", flat=True)
    )
    return {"bought": bought, "pursued": pursued, "suggested": suggested, "never_bought": never}


def _open_deals(account: Account) -> dict:
    deals = list(
        Deal.objects.filter(account=account, stage__outcome=StageOutcome.OPEN)
        .select_related("owner", "stage", "product")
        .order_by("expected_close_on", "pk")
    )
    return {"deals": deals, "total": sum((d.value for d in deals), ZERO)}


def _renewals(account: Account, as_of: datetime.date) -> dict:
    until = as_of + datetime.timedelta(days=RENEWAL_HORIZON_DAYS)
    contracts = list(
        account.contracts.filter(
            status=ContractStatus.ACTIVE, end_on__gte=as_of, end_on__lte=until
        ).order_by("end_on", "pk")
    )
    risks = {risk.contract.pk: risk for risk in renewal_risks(contracts, today=as_of)}
    rows = [
        {
            "contract": c,
            "days_left": (c.end_on - as_of).days,
            "notice_by": c.end_on - datetime.timedelta(days=c.notice_period_days),
            "risk": risks.get(c.pk),
        }
        for c in contracts
    ]
    return {
        "until": until,
        "rows": rows,
        "total": sum((c.annual_value for c in contracts), ZERO),
    }


def _stakeholders(account: Account) -> dict:
    drawn = stakeholder_map(account)
    contacts = [c for c in drawn["contacts"] if c.is_active]
    levels = [
        {
            "level": code,
            "label": label,
            "contacts": [c for c in contacts if c.hierarchy_level == code],
        }
        for code, label in HierarchyLevel.choices
    ]
    return {
        "levels": levels,
        "active": len(contacts),
        "left": len(drawn["contacts"]) - len(contacts),
        "gaps": drawn["gaps"],
    }


def _actions(plan: AccountPlan | None, as_of: datetime.date) -> dict:
    actions = [] if plan is None else list(plan.actions.select_related("owner"))
    counts = {status: 0 for status in ActionStatus.values}
    for action in actions:
        counts[action.status] += 1
    rows = [
        {"action": a, "overdue": a.status != ActionStatus.DONE and a.due_on < as_of}
        for a in actions
    ]
    return {
        "rows": rows,
        "counts": [
            {"status": code, "label": label, "count": counts[code]}
            for code, label in ActionStatus.choices
        ],
        "overdue": sum(1 for row in rows if row["overdue"]),
    }


def qbr_pack(account: Account, period: Period, today: datetime.date | None = None) -> dict:
    """Everything the QBR pack of `account` for the quarter `period` shows.

    Revenue, products and the year to date count invoices up to the end of the quarter;
    open deals, stakeholders and actions are as they are now; renewals are the active
    contracts ending within 180 days from the end of the quarter, or from today when the
    quarter is not over yet ("as of"), each with its renewal risk (tandem.renewals) as of
    that day."""
    today = today or timezone.localdate()
    as_of = min(today, period.end)
    plan = (
        AccountPlan.objects.filter(account=account, year=period.start.year)
        .prefetch_related("reviews")
        .first()
    )
    trend = revenue_trend(account, period)
    quarter = trend[-1]["total"]
    same_quarter_last_year = trend[-5]["total"]
    previous_quarter = trend[-2]["total"]
    ytd = _year_to_date(account, period)
    return {
        "account": account,
        "period": period,
        "period_label": quarter_label(period),
        "as_of": as_of,
        "generated_on": today,
        "plan": plan,
        "revenue": {
            "quarter": quarter,
            "previous_quarter": previous_quarter,
            "same_quarter_last_year": same_quarter_last_year,
            "change_vs_last_year": _change(quarter, same_quarter_last_year),
            "trend": trend,
            "year_to_date": ytd,
            "target_percent": plan.growth_target_percent if plan else None,
            "on_track": None
            if plan is None or ytd["change_percent"] is None
            else ytd["change_percent"] >= plan.growth_target_percent,
        },
        "products": _products(account, period, plan),
        "open_deals": _open_deals(account),
        "renewals": _renewals(account, as_of),
        "stakeholders": _stakeholders(account),
        "actions": _actions(plan, as_of),
    }
