"""Reads for key accounts: rule evaluation, candidates, handovers, dossiers, conflicts.

Every rule is evaluated by one aggregate query over all accounts (see docs/key-accounts.md);
what a user sees of the results is scoped by their role.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, TypedDict

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Account, BuyingRole, Contact, HierarchyLevel, Tier
from tandem.accounts.selectors import account_filter
from tandem.activities.models import Activity
from tandem.core.formatting import compact_money, percent
from tandem.jobs.models import Job, JobStatus
from tandem.keyaccounts.models import (
    OPEN_STATUSES,
    Handover,
    HandoverStatus,
    KeyAccountRules,
    RuleEvaluation,
    RuleHit,
)
from tandem.pipeline.models import Deal, StageOutcome
from tandem.revenue.models import RevenueLine
from tandem.users.models import Role, User
from tandem.users.selectors import managed_user_ids

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class _Held(TypedDict):
        held: int

    class _LastActivity(TypedDict):
        last_activity_at: datetime.datetime | None

    KamWithLoad = WithAnnotations[User, _Held]  # a KAM with the key accounts held
    ContactWithActivity = WithAnnotations[Contact, _LastActivity]


class Stakeholder(Protocol):
    """What `coverage_gaps` reads of a contact (a Contact with its last activity, or a row)."""

    @property
    def is_active(self) -> bool: ...
    @property
    def buying_role(self) -> str: ...
    @property
    def hierarchy_level(self) -> str: ...
    @property
    def last_activity_at(self) -> datetime.datetime | None: ...


MONEY = DecimalField(max_digits=20, decimal_places=2)

RULE_WON_VALUE = "won_value"
RULE_INVOICED_REVENUE = "invoiced_revenue"
RULE_POTENTIAL = "potential"
RULE_REVENUE_SHARE = "revenue_share"
RULE_STRATEGIC = "strategic"


def year_before(day: datetime.date) -> datetime.date:
    """The same day one year earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def trailing_year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The trailing 12 months ending `today`: after the same day a year ago, up to today."""
    return year_before(today) + datetime.timedelta(days=1), today


def _share_text(value) -> str:
    """A share in percent (5.2) as "5.2 %"."""
    return percent(Decimal(value) / 100, -1)


@dataclass(frozen=True)
class Reason:
    """One rule that fired for an account, with the measured value and the threshold."""

    rule: str
    value: Decimal | None = None
    threshold: Decimal | None = None

    def text(self) -> str:
        if self.rule == RULE_STRATEGIC:
            return _("marked as strategic")
        templates = {
            RULE_WON_VALUE: _("won deal value in the last 12 months: {value} ≥ {threshold}"),
            RULE_INVOICED_REVENUE: _(
                "invoiced revenue in the last 12 months: {value} ≥ {threshold}"
            ),
            RULE_POTENTIAL: _("estimated revenue potential per year: {value} ≥ {threshold}"),
            RULE_REVENUE_SHARE: _(
                "share of company revenue in the last 12 months: {value} ≥ {threshold}"
            ),
        }
        show = _share_text if self.rule == RULE_REVENUE_SHARE else compact_money
        return templates[self.rule].format(value=show(self.value), threshold=show(self.threshold))

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "value": None if self.value is None else str(self.value),
            "threshold": None if self.threshold is None else str(self.threshold),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Reason:
        def number(text):
            return None if text is None else Decimal(text)

        return cls(data["rule"], number(data.get("value")), number(data.get("threshold")))


def won_value_by_account(today: datetime.date) -> QuerySet:
    """Won deal value per account, deals closed in the trailing 12 months (one query)."""
    start, end = trailing_year(today)
    return (
        Deal.objects.filter(
            stage__outcome=StageOutcome.WON,
            account__isnull=False,
            closed_on__gte=start,
            closed_on__lte=end,
        )
        .values("account_id")
        .annotate(total=Sum("value"))
    )


def invoiced_revenue_by_account(today: datetime.date) -> QuerySet:
    """Invoiced revenue per account in the trailing 12 months (one query)."""
    start, end = trailing_year(today)
    return (
        RevenueLine.objects.filter(invoiced_on__gte=start, invoiced_on__lte=end)
        .values("account_id")
        .annotate(total=Sum("amount"))
    )


def company_invoiced_revenue(today: datetime.date) -> Decimal:
    start, end = trailing_year(today)
    total = RevenueLine.objects.filter(invoiced_on__gte=start, invoiced_on__lte=end).aggregate(
        total=Sum("amount")
    )["total"]
    return total or Decimal(0)


def evaluate_rules(
    rules: KeyAccountRules,
    today: datetime.date | None = None,
    *,
    accounts: list[int] | None = None,
) -> dict[int, list[Reason]]:
    """{account id: the rules it meets}, for every account (or only the `accounts` ids) that
    meets at least one rule that is switched on. One aggregate query per rule (two for the
    share: the company total, always over every account)."""
    today = today or timezone.localdate()
    hits: dict[int, list[Reason]] = {}

    def only(rows, field="account_id"):
        return rows if accounts is None else rows.filter(**{f"{field}__in": accounts})

    def add(rows, rule, threshold):
        for account_id, value in rows:
            hits.setdefault(account_id, []).append(Reason(rule, value, threshold))

    if rules.won_value_enabled:
        threshold = rules.won_value_threshold
        rows = only(won_value_by_account(today)).filter(total__gte=threshold)
        add(rows.values_list("account_id", "total"), RULE_WON_VALUE, threshold)
    if rules.invoiced_revenue_enabled:
        threshold = rules.invoiced_revenue_threshold
        rows = only(invoiced_revenue_by_account(today)).filter(total__gte=threshold)
        add(rows.values_list("account_id", "total"), RULE_INVOICED_REVENUE, threshold)
    if rules.potential_enabled:
        threshold = rules.potential_threshold
        rows = only(Account.objects.filter(revenue_potential__gte=threshold), "pk")
        add(rows.values_list("pk", "revenue_potential"), RULE_POTENTIAL, threshold)
    if rules.revenue_share_enabled:
        company = company_invoiced_revenue(today)
        if company > 0:
            pct = rules.revenue_share_percent
            rows = only(invoiced_revenue_by_account(today)).filter(
                total__gte=Value(company * pct / 100, output_field=MONEY)
            )
            add(
                (
                    (account_id, (total * 100 / company).quantize(Decimal("0.01")))
                    for account_id, total in rows.values_list("account_id", "total")
                ),
                RULE_REVENUE_SHARE,
                pct,
            )
    if rules.strategic_enabled:
        strategic = only(Account.objects.filter(is_strategic=True), "pk")
        for account_id in strategic.values_list("pk", flat=True):
            hits.setdefault(account_id, []).append(Reason(RULE_STRATEGIC))
    return hits


def candidate_scope(user: User) -> Q | None:
    """Which accounts' candidacy a user sees (None: all). Sales Manager: their team's; KAM:
    every standard account (one they could take) and their own; a rep: their own."""
    if user.sees_everything:
        return None
    if user.role == Role.KEY_ACCOUNT_MANAGER:
        return Q(tier=Tier.STANDARD) | Q(owner=user)
    return Q(owner_id__in=managed_user_ids(user))


@dataclass
class Candidate:
    account: Account
    reasons: list[Reason] = field(default_factory=list)
    open_handover: Handover | None = None

    @property
    def reason_texts(self) -> list[str]:
        return [reason.text() for reason in self.reasons]


@dataclass
class CandidateList:
    qualifying: list[Candidate]  # standard accounts that meet a rule
    lapsed: list[Candidate]  # key accounts that meet none any more
    evaluation: RuleEvaluation | None = None  # the stored evaluation they come from


# the jobs that evaluate the rules: on their own (keyaccounts/jobs.py), and in the day's work
EVALUATE = "keyaccounts.evaluate"
DAYS_WORK = "keyaccounts.refresh"


def current_evaluation() -> RuleEvaluation | None:
    """The latest evaluation of the rules, as kept (None before the first). Never made here:
    the day's work, a change of the rules and an admin's "Evaluate now" ask for a new one."""
    return RuleEvaluation.objects.order_by("-evaluated_at", "-pk").first()


def is_up_to_date(evaluation: RuleEvaluation, today: datetime.date | None = None) -> bool:
    """Made today, with the rules as they are now."""
    today = today or timezone.localdate()
    rules = KeyAccountRules.current()
    return evaluation.day == today and evaluation.rules_changed_at == rules.updated_at


def evaluating() -> Job | None:
    """The job that waits or runs to evaluate the rules again, for a page to follow."""
    return (
        Job.objects.filter(
            kind__in=[EVALUATE, DAYS_WORK], status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        )
        .order_by("queued_at")
        .first()
    )


def stored_hits(evaluation: RuleEvaluation) -> dict[int, list[Reason]]:
    """{account id: reasons} of a stored evaluation (the shape of `evaluate_rules`)."""
    return {
        account_id: [Reason.from_dict(data) for data in reasons]
        for account_id, reasons in evaluation.hits.values_list("account_id", "reasons")
    }


def qualifying_hits(user: User, evaluation: RuleEvaluation) -> QuerySet[RuleHit]:
    """The standard accounts `user` may see that met a rule, most reasons first, by name."""
    hits = evaluation.hits.filter(account__tier=Tier.STANDARD)
    scope = candidate_scope(user)
    if scope is not None:
        hits = hits.filter(account__in=Account.objects.filter(scope))
    return hits.select_related("account__owner__team", "account__sector").order_by(
        "-reason_count", "account__name", "account_id"
    )


def lapsed_accounts(user: User, evaluation: RuleEvaluation) -> QuerySet[Account]:
    """The key accounts `user` may see that met no rule."""
    accounts = Account.objects.select_related("owner__team", "sector").filter(tier=Tier.KEY_ACCOUNT)
    scope = candidate_scope(user)
    if scope is not None:
        accounts = accounts.filter(scope)
    return accounts.exclude(rule_hits__evaluation=evaluation).order_by("name", "pk")


def as_candidates(hits) -> list[Candidate]:
    """Candidates of some hits (a page of them), with their open handover (one query)."""
    hits = list(hits)
    open_handovers: dict[int, Handover] = {}
    for handover in Handover.objects.filter(
        account__in=[hit.account_id for hit in hits], status__in=OPEN_STATUSES
    ).select_related("to_kam"):
        open_handovers.setdefault(handover.account_id, handover)
    return [
        Candidate(
            hit.account,
            [Reason.from_dict(data) for data in hit.reasons],
            open_handovers.get(hit.account_id),
        )
        for hit in hits
    ]


def candidates(user: User) -> CandidateList:
    """Every candidate and lapsed key account `user` may see, from the latest stored
    evaluation (none before the first: `evaluation` is None)."""
    evaluation = current_evaluation()
    if evaluation is None:
        return CandidateList(qualifying=[], lapsed=[])
    return CandidateList(
        qualifying=as_candidates(qualifying_hits(user, evaluation)),
        lapsed=[Candidate(a) for a in lapsed_accounts(user, evaluation)],
        evaluation=evaluation,
    )


# --- handovers -----------------------------------------------------------------------------


def visible_handovers(user: User) -> QuerySet[Handover]:
    """Head of Sales and admins: all; a KAM: those addressed to them; the sales side: those
    of accounts they or their team handed over or proposed."""
    handovers = Handover.objects.select_related("account", "from_user", "to_kam", "proposed_by")
    if user.sees_everything:
        return handovers
    people = managed_user_ids(user)
    return handovers.filter(
        Q(to_kam=user) | Q(from_user_id__in=people) | Q(proposed_by_id__in=people)
    )


def get_handover_for(user: User, pk: int) -> Handover:
    return get_object_or_404(visible_handovers(user), pk=pk)


def overdue_before(rules: KeyAccountRules | None = None, now=None) -> datetime.datetime:
    rules = rules or KeyAccountRules.current()
    now = now or timezone.now()
    return now - datetime.timedelta(days=rules.handover_overdue_days)


def overdue_filter(rules: KeyAccountRules | None = None, now=None) -> Q:
    """Open handovers waiting longer than the configured days for their next step: a proposal
    for its dossier (since proposed), a submitted one for the KAM's decision (since submitted)."""
    limit = overdue_before(rules, now)
    return Q(status=HandoverStatus.PROPOSED, created_at__lt=limit) | Q(
        status=HandoverStatus.SUBMITTED, submitted_at__lt=limit
    )


def with_overdue(handovers: QuerySet[Handover], now=None) -> QuerySet[Handover]:
    """Each handover with `overdue` (True or False), computed by the database."""

    return handovers.annotate(
        overdue=ExpressionWrapper(overdue_filter(None, now), output_field=BooleanField())
    )


def inbox(user: User, now=None) -> dict:
    """What waits for `user`: handovers to decide (KAM) and dossiers to complete (proposer,
    owner or their Sales Manager), each open handover flagged when overdue."""
    rules = KeyAccountRules.current()
    handovers = visible_handovers(user)
    people = managed_user_ids(user)
    to_decide = handovers.filter(to_kam=user, status=HandoverStatus.SUBMITTED)
    to_complete = handovers.filter(status=HandoverStatus.PROPOSED).filter(
        Q(from_user_id__in=people) | Q(proposed_by_id__in=people)
    )
    overdue_ids = set(handovers.filter(overdue_filter(rules, now)).values_list("pk", flat=True))
    return {
        "to_decide": list(to_decide.order_by("submitted_at")),
        "to_complete": list(to_complete.order_by("created_at")),
        "overdue_ids": overdue_ids,
        "overdue_days": rules.handover_overdue_days,
    }


def kam_choices() -> QuerySet[KamWithLoad]:
    """Active KAMs, each with `held` key accounts, fewest first."""
    return (
        User.objects.filter(role=Role.KEY_ACCOUNT_MANAGER, is_active=True)
        .annotate(held=Count("owned_accounts", filter=Q(owned_accounts__tier=Tier.KEY_ACCOUNT)))
        .order_by("held", "last_name", "first_name", "username")
    )


def revenue_before_after(handover: Handover) -> dict | None:
    """Invoiced revenue of the account in the 12 months before the acceptance day and in the
    12 months from it (one query); None before acceptance."""
    if handover.status != HandoverStatus.ACCEPTED or handover.decided_at is None:
        return None
    day = timezone.localdate(handover.decided_at)
    before_start, after_end = year_before(day), year_after(day)
    zero = Value(Decimal(0), output_field=MONEY)
    totals = RevenueLine.objects.filter(
        account_id=handover.account_id, invoiced_on__gte=before_start, invoiced_on__lt=after_end
    ).aggregate(
        before=Coalesce(Sum("amount", filter=Q(invoiced_on__lt=day)), zero),
        after=Coalesce(Sum("amount", filter=Q(invoiced_on__gte=day)), zero),
    )
    change = None
    if totals["before"]:
        change = (totals["after"] - totals["before"]) * 100 / totals["before"]
    return {
        "day": day,
        "before": totals["before"],
        "after": totals["after"],
        "change_percent": change,
        "complete": timezone.localdate() >= after_end,
    }


# --- the dossier ---------------------------------------------------------------------------


def _money(value) -> str:
    return str(value if value is not None else Decimal(0))


def assemble_dossier(account: Account, today: datetime.date | None = None) -> dict:
    """The facts Tandem knows about an account, as plain JSON (kept with the handover when it
    is submitted): stakeholders by level and buying role with the coverage gaps, the last
    conversations, open deals, contracts, revenue per month and products bought."""
    today = today or timezone.localdate()
    contacts = stakeholder_contacts(account)
    level_order = {code: i for i, code in enumerate(HierarchyLevel.values)}
    role_order = {code: i for i, code in enumerate(BuyingRole.values)}
    stakeholders = [
        {
            "name": f"{c.first_name} {c.last_name}",
            "job_title": c.job_title,
            "level": c.hierarchy_level,
            "buying_role": c.buying_role,
            "strength": c.relationship_strength,
            "active": c.is_active,
        }
        for c in sorted(
            contacts,
            key=lambda c: (
                level_order.get(c.hierarchy_level, 99),
                role_order.get(c.buying_role, 99),
            ),
        )
    ]
    activities = (
        Activity.objects.filter(account=account)
        .select_related("owner")
        .prefetch_related("contacts")
        .order_by("-occurred_at", "-pk")[:10]
    )
    conversations = [
        {
            "at": a.occurred_at.isoformat(),
            "kind": a.kind,
            "subject": a.subject,
            "by": str(a.owner),
            "contacts": [str(c) for c in a.contacts.all()],
        }
        for a in activities
    ]
    open_deals = [
        {
            "id": d.pk,
            "name": d.name,
            "owner": str(d.owner),
            "stage": d.stage.code,
            "stage_name": d.stage.name,
            "stage_name_de": d.stage.name_de,
            "value": _money(d.value),
            "expected_close_on": d.expected_close_on.isoformat() if d.expected_close_on else None,
        }
        for d in Deal.objects.filter(account=account, stage__outcome=StageOutcome.OPEN)
        .select_related("owner", "stage")
        .order_by("expected_close_on", "pk")
    ]
    contracts = [
        {
            "name": c.name,
            "start_on": c.start_on.isoformat(),
            "end_on": c.end_on.isoformat(),
            "annual_value": _money(c.annual_value),
            "notice_period_days": c.notice_period_days,
            "status": c.status,
        }
        for c in account.contracts.order_by("end_on")
    ]
    since = year_before(year_before(today)).replace(day=1)
    revenue_by_month = [
        {"month": row["month"].strftime("%Y-%m"), "total": _money(row["total"])}
        for row in RevenueLine.objects.filter(account=account, invoiced_on__gte=since)
        .annotate(month=TruncMonth("invoiced_on"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by("month")
    ]
    products: dict[int, dict[str, Any]] = {}
    row: Mapping[str, Any]
    for row in (
        RevenueLine.objects.filter(account=account)
        .values("product_id", product_name=F("product__name"))
        .annotate(total=Sum("amount"))
    ):
        products[row["product_id"]] = {
            "name": row["product_name"],
            "revenue": row["total"],
            "won": 0,
        }
    for row in (
        Deal.objects.filter(account=account, stage__outcome=StageOutcome.WON, product__isnull=False)
        .values("product_id", product_name=F("product__name"))
        .annotate(won=Count("pk"))
    ):
        entry = products.setdefault(
            row["product_id"], {"name": row["product_name"], "revenue": Decimal(0), "won": 0}
        )
        entry["won"] = row["won"]
    products_bought = [
        {"name": p["name"], "revenue": _money(p["revenue"]), "won_deals": p["won"]}
        for p in sorted(products.values(), key=lambda p: (-p["revenue"], p["name"]))
    ]
    won = next(iter(won_value_by_account(today).filter(account_id=account.pk)), None)
    invoiced = next(iter(invoiced_revenue_by_account(today).filter(account_id=account.pk)), None)
    return {
        "assembled_on": today.isoformat(),
        "owner": str(account.owner),
        "won_value_12m": _money(won["total"] if won else None),
        "invoiced_revenue_12m": _money(invoiced["total"] if invoiced else None),
        "stakeholders": stakeholders,
        "conversations": conversations,
        "open_deals": open_deals,
        "contracts": contracts,
        "revenue_by_month": revenue_by_month,
        "products": products_bought,
        "coverage_gaps": coverage_gaps(contacts),
    }


# --- clear ownership -----------------------------------------------------------------------


def account_team_q() -> Q:
    """A deal is inside its key account's team when its owner is the account's owner (the KAM)
    or the person who handed the account over in an accepted handover (they keep their open
    deals)."""
    return Q(owner=F("account__owner")) | Q(
        account__handovers__status=HandoverStatus.ACCEPTED,
        account__handovers__from_user=F("owner"),
    )


def conflicts(user: User) -> dict:
    """Open deals on key accounts owned by someone outside the account team, and KAMs over
    capacity; scoped like the accounts the user sees. (The conflicts page also lists the key
    accounts without a plan: tandem/accountplans/pages.py adds them.)"""
    rules = KeyAccountRules.current()
    inside = Deal.objects.filter(account_team_q()).values("pk")
    deals = (
        Deal.objects.filter(account__tier=Tier.KEY_ACCOUNT, stage__outcome=StageOutcome.OPEN)
        .exclude(pk__in=inside)
        .select_related("account", "account__owner", "owner", "stage")
        .order_by("account__name", "name")
    )
    deals = deals.filter(account_filter(user))
    over = [
        kam
        for kam in kam_choices().order_by("-held", "last_name")
        if kam.held > rules.kam_capacity
        and (user.sees_everything or user.role == Role.SALES_MANAGER or kam.pk == user.pk)
    ]
    return {
        "deals": list(deals),
        "kams_over_capacity": over,
        "capacity": rules.kam_capacity,
    }


# --- stakeholder map -----------------------------------------------------------------------

CONTACT_RECENT_DAYS = 180  # a contact counts as reached when an activity with them is this recent

GAP_NO_DECISION_MAKER = "no_decision_maker_reached"
GAP_SINGLE_THREADED = "single_threaded"
GAP_NO_C_LEVEL = "no_c_level"
GAP_CHAMPION_INACTIVE = "champion_inactive"


def gap_text(code: str) -> str:
    texts = {
        GAP_NO_DECISION_MAKER: _(
            "No decision maker reached: no decision maker still at the company had an activity "
            "with us in the last {days} days."
        ).format(days=CONTACT_RECENT_DAYS),
        GAP_SINGLE_THREADED: _("Single-threaded: at most one contact still at the company."),
        GAP_NO_C_LEVEL: _("No contact at C-level."),
        GAP_CHAMPION_INACTIVE: _(
            "Champion inactive: every champion has left or had no activity in the last {days} days."
        ).format(days=CONTACT_RECENT_DAYS),
    }
    return texts[code]


def stakeholder_contacts(account: Account) -> list[ContactWithActivity]:
    """The account's contacts, each with `last_activity_at` (one query)."""

    return list(
        Contact.objects.filter(account=account)
        .annotate(last_activity_at=Max("activities__occurred_at"))
        .order_by("last_name", "first_name", "pk")
    )


def coverage_gaps(
    contacts: Sequence[Stakeholder], now: datetime.datetime | None = None
) -> list[str]:
    """The coverage gaps of a stakeholder map (codes, in a fixed order; see the docs)."""
    now = now or timezone.now()
    recent = now - datetime.timedelta(days=CONTACT_RECENT_DAYS)
    active = [c for c in contacts if c.is_active]

    def reached(contact) -> bool:
        return (
            contact.is_active
            and contact.last_activity_at is not None
            and (contact.last_activity_at >= recent)
        )

    gaps = []
    if not any(reached(c) for c in active if c.buying_role == BuyingRole.DECISION_MAKER):
        gaps.append(GAP_NO_DECISION_MAKER)
    if len(active) <= 1:
        gaps.append(GAP_SINGLE_THREADED)
    if not any(c.hierarchy_level == HierarchyLevel.C_LEVEL for c in active):
        gaps.append(GAP_NO_C_LEVEL)
    champions = [c for c in contacts if c.buying_role == BuyingRole.CHAMPION]
    if champions and not any(reached(c) for c in champions):
        gaps.append(GAP_CHAMPION_INACTIVE)
    return gaps


def stakeholder_map(account: Account, now: datetime.datetime | None = None) -> dict:
    """Contacts drawn by hierarchy level (rows) and buying role (columns), with the gaps."""
    contacts = stakeholder_contacts(account)
    cells: dict[tuple[str, str], list[ContactWithActivity]] = {
        (level, role): [] for level in HierarchyLevel.values for role in BuyingRole.values
    }
    for contact in contacts:
        cells.setdefault((contact.hierarchy_level, contact.buying_role), []).append(contact)
    rows = [
        {
            "level": level,
            "label": label,
            "cells": [cells[level, role] for role in BuyingRole.values],
        }
        for level, label in HierarchyLevel.choices
    ]
    gaps = coverage_gaps(contacts, now)
    return {
        "roles": BuyingRole.choices,
        "rows": rows,
        "contacts": contacts,
        "gaps": [{"code": code, "text": gap_text(code)} for code in gaps],
    }
