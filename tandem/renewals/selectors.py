"""Reads of renewals: upcoming contracts, their renewal-risk score, and renewal rates.

The risk score is the sum of the weights of the signals that apply to a contract, capped at
100; every signal is a sentence the page shows next to the score (see docs/renewals.md).
All signals of up to 5,000 accounts' contracts are computed with three queries (contacts,
revenue, lost renewal deals), so the KAM cockpit can score a whole portfolio.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    Case,
    Count,
    DecimalField,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.accounts.models import (
    Account,
    BuyingRole,
    Contact,
    Contract,
    ContractStatus,
    RenewalTerms,
)
from tandem.accounts.selectors import visible_contracts, with_subsidiaries
from tandem.core.formatting import compact_money, percent
from tandem.pipeline.models import Deal, DealType, StageOutcome
from tandem.revenue.models import RevenueLine
from tandem.users.models import Role, User
from tandem.users.selectors import managed_user_ids

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class _LastActivity(TypedDict):
        last_activity_at: datetime.datetime | None

    # a contact with its last activity (`_decision_contacts`)
    ContactWithActivity = WithAnnotations[Contact, _LastActivity]

MONEY = DecimalField(max_digits=20, decimal_places=2)
CHUNK = 5000  # accounts per query when scoring many contracts

# -- the signals and their weights (documented in docs/renewals.md) ------------------------------
DECISION_MAKER_DAYS = 90  # no activity with a decision maker for this long is a signal
NOTICE_CLOSE_DAYS = 30  # a notice date this close (or closer) is a signal
REVENUE_DROP_PERCENT = Decimal(10)  # revenue down by at least this much is a signal
LOST_DEALS_DAYS = 365  # a renewal deal lost on the account this recently is a signal
# who counts as a decision maker: the decision maker and the economic buyer (who signs the budget)
DECISION_ROLES = (BuyingRole.DECISION_MAKER, BuyingRole.ECONOMIC_BUYER)

WEIGHT_NO_DECISION_MAKER = 25
WEIGHT_REVENUE_FALLING = 20
WEIGHT_CHAMPION_GONE = 15
WEIGHT_NOTICE_CLOSE = 15
WEIGHT_NOTICE_PASSED = 20
WEIGHT_NO_RENEWAL_TERMS = 15
WEIGHT_LOST_DEALS = 15

SIGNAL_NO_DECISION_MAKER = "no_decision_maker_contact"
SIGNAL_REVENUE_FALLING = "revenue_falling"
SIGNAL_CHAMPION_GONE = "champion_gone"
SIGNAL_NOTICE_CLOSE = "notice_close"
SIGNAL_NOTICE_PASSED = "notice_passed"
SIGNAL_NO_RENEWAL_TERMS = "ends_without_renewal"
SIGNAL_LOST_DEALS = "lost_renewal_deals"

WEIGHTS = {
    SIGNAL_NO_DECISION_MAKER: WEIGHT_NO_DECISION_MAKER,
    SIGNAL_REVENUE_FALLING: WEIGHT_REVENUE_FALLING,
    SIGNAL_CHAMPION_GONE: WEIGHT_CHAMPION_GONE,
    SIGNAL_NOTICE_CLOSE: WEIGHT_NOTICE_CLOSE,
    SIGNAL_NOTICE_PASSED: WEIGHT_NOTICE_PASSED,
    SIGNAL_NO_RENEWAL_TERMS: WEIGHT_NO_RENEWAL_TERMS,
    SIGNAL_LOST_DEALS: WEIGHT_LOST_DEALS,
}

LEVEL_LOW = "low"
LEVEL_MEDIUM = "medium"
LEVEL_HIGH = "high"
MEDIUM_FROM = 30  # score 30–59 is medium risk
HIGH_FROM = 60  # score 60–100 is high risk

OUTCOMES = [
    ContractStatus.RENEWED,
    ContractStatus.EXPANDED,
    ContractStatus.REDUCED,
    ContractStatus.CHURNED,
]
RETAINED = [ContractStatus.RENEWED, ContractStatus.EXPANDED, ContractStatus.REDUCED]


def level_for(score: int) -> str:
    if score >= HIGH_FROM:
        return LEVEL_HIGH
    if score >= MEDIUM_FROM:
        return LEVEL_MEDIUM
    return LEVEL_LOW


def level_label(level: str) -> str:
    return {LEVEL_LOW: _("low"), LEVEL_MEDIUM: _("medium"), LEVEL_HIGH: _("high")}[level]


@dataclass(frozen=True)
class Signal:
    """One reason a renewal is at risk: a code, its weight and the facts behind it (numbers,
    dates, names); `text` tells it in the reader's language when it is shown."""

    code: str
    weight: int
    facts: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return signal_text(self)


def signal_text(signal: Signal) -> str:
    """The sentence of a signal, its numbers and dates formatted as the active language wants."""
    facts = signal.facts
    if signal.code == SIGNAL_NO_DECISION_MAKER:
        if "days" not in facts:
            if facts.get("known"):
                return _("No contact with a decision maker on record.")
            return _("No decision maker known at the account (none still at the company).")
        return ngettext(
            "No contact with a decision maker for {days} day (last on {date}).",
            "No contact with a decision maker for {days} days (last on {date}).",
            facts["days"],
        ).format(days=facts["days"], date=_day(facts["last"]))
    if signal.code == SIGNAL_CHAMPION_GONE:
        names = facts.get("names")
        if not names:
            return _("No champion at the account.")
        return ngettext(
            "Champion gone: {names} has left the company.",
            "Champions gone: {names} have left the company.",
            len(names),
        ).format(names=", ".join(names))
    if signal.code == SIGNAL_REVENUE_FALLING:
        parts = []
        if facts.get("drop6") is not None:
            parts.append(
                _("last 6 months {last} vs {before} the 6 months before (−{drop})").format(
                    last=compact_money(facts["last6"]),
                    before=compact_money(facts["prev6"]),
                    drop=_percent(facts["drop6"]),
                )
            )
        if facts.get("drop12") is not None:
            parts.append(
                _("last 12 months {last} vs {before} the 12 months before (−{drop})").format(
                    last=compact_money(facts["last12"]),
                    before=compact_money(facts["prev12"]),
                    drop=_percent(facts["drop12"]),
                )
            )
        return _("Revenue falling: {details}.").format(details="; ".join(parts))
    if signal.code == SIGNAL_NO_RENEWAL_TERMS:
        return _("The contract ends without renewal: a new contract has to be signed.")
    if signal.code == SIGNAL_NOTICE_CLOSE:
        return ngettext(
            "Notice period close: the notice date {date} is {days} day away.",
            "Notice period close: the notice date {date} is {days} days away.",
            facts["days"],
        ).format(date=_day(facts["notice_on"]), days=facts["days"])
    if signal.code == SIGNAL_NOTICE_PASSED:
        return ngettext(
            "Notice date passed {days} day ago ({date}) and no renewal is recorded.",
            "Notice date passed {days} days ago ({date}) and no renewal is recorded.",
            facts["days"],
        ).format(date=_day(facts["notice_on"]), days=facts["days"])
    return ngettext(
        "{count} renewal deal lost on the account in the last 12 months.",
        "{count} renewal deals lost on the account in the last 12 months.",
        facts["count"],
    ).format(count=facts["count"])


@dataclass
class RenewalRisk:
    contract: Contract
    score: int  # 0–100: the sum of the signals' weights, capped at 100
    level: str  # "low", "medium" or "high"
    factors: list[Signal] = field(default_factory=list)

    @property
    def signals(self) -> list[str]:
        """The signals behind the score, as translated sentences (heaviest first)."""
        return [factor.text for factor in self.factors]

    @property
    def level_label(self) -> str:
        return level_label(self.level)

    @property
    def notice_on(self) -> datetime.date:
        return notice_date(self.contract)


def notice_date(contract: Contract) -> datetime.date:
    """The last day the customer (or we) can give notice: end minus the notice period."""
    return contract.end_on - datetime.timedelta(days=contract.notice_period_days)


def _percent(value: Decimal) -> str:
    """A fall in percent (12.3) as "12.3 %"."""
    return percent(value / 100, -1)


def _day(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# -- the facts behind the signals, per account, in one query each ---------------------------------


def month_start(day: datetime.date, months_back: int = 0) -> datetime.date:
    """The first day of the month `months_back` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _revenue_windows(today: datetime.date) -> dict[str, tuple[datetime.date, datetime.date]]:
    """Windows [start, end) of whole calendar months before the current one, so each holds
    every monthly invoice once: the last 6 and 12 complete months, and the 6 and 12 before."""
    this_month = month_start(today)
    return {
        "last6": (month_start(today, 6), this_month),
        "prev6": (month_start(today, 12), month_start(today, 6)),
        "last12": (month_start(today, 12), this_month),
        "prev12": (month_start(today, 24), month_start(today, 12)),
    }


def revenue_by_window(account_ids: set[int], today: datetime.date) -> dict[int, dict]:
    windows = _revenue_windows(today)
    sums = {
        name: Coalesce(
            Sum("amount", filter=Q(invoiced_on__gte=start, invoiced_on__lt=end)),
            Value(Decimal(0)),
            output_field=MONEY,
        )
        for name, (start, end) in windows.items()
    }
    # each row: account_id and one sum per window (**sums: names the type checker cannot see)
    rows: QuerySet[RevenueLine, Any] = (
        RevenueLine.objects.filter(
            account_id__in=account_ids,
            invoiced_on__gte=windows["prev12"][0],
            invoiced_on__lt=windows["last12"][1],
        )
        .values("account_id")
        .annotate(**sums)
    )
    return {row.pop("account_id"): row for row in rows}


def _decision_contacts(
    account_ids: set[int], today: datetime.date
) -> QuerySet[ContactWithActivity]:
    """The accounts' decision makers, economic buyers and champions, with `last_activity_at`
    (their last activity up to the end of `today`)."""
    until = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min)
    )
    return Contact.objects.filter(
        account_id__in=account_ids,
        buying_role__in=[*DECISION_ROLES, BuyingRole.CHAMPION],
    ).annotate(
        last_activity_at=Max("activities__occurred_at", filter=Q(activities__occurred_at__lt=until))
    )


def contacts_by_account(
    account_ids: set[int], today: datetime.date | None = None
) -> dict[int, list[ContactWithActivity]]:
    """Each account's decision makers, economic buyers and champions (`_decision_contacts`),
    by name."""
    found: dict[int, list[ContactWithActivity]] = defaultdict(list)
    contacts = _decision_contacts(account_ids, today or timezone.localdate())
    for contact in contacts.order_by("last_name", "first_name", "pk"):
        found[contact.account_id].append(contact)
    return found


def lost_renewals_by_account(account_ids: set[int], today: datetime.date) -> dict[int, int]:
    """Renewal deals lost per account in the last LOST_DEALS_DAYS days."""
    since = today - datetime.timedelta(days=LOST_DEALS_DAYS)
    rows = (
        Deal.objects.filter(
            account_id__in=account_ids,
            deal_type=DealType.RENEWAL,
            stage__outcome=StageOutcome.LOST,
            closed_on__gt=since,
            closed_on__lte=today,
        )
        .values("account_id")
        .annotate(n=Count("pk"))
    )
    return {row["account_id"]: row["n"] for row in rows}


# -- the signals ---------------------------------------------------------------------------------


def _decision_maker_signal(
    contacts: list[ContactWithActivity], today: datetime.date
) -> Signal | None:
    makers = [c for c in contacts if c.buying_role in DECISION_ROLES and c.is_active]
    weight = WEIGHT_NO_DECISION_MAKER
    if not makers:
        return Signal(SIGNAL_NO_DECISION_MAKER, weight)
    times = [c.last_activity_at for c in makers if c.last_activity_at is not None]
    if not times:
        return Signal(SIGNAL_NO_DECISION_MAKER, weight, {"known": True})
    last = timezone.localdate(max(times))
    days = (today - last).days
    if days < DECISION_MAKER_DAYS:
        return None
    return Signal(SIGNAL_NO_DECISION_MAKER, weight, {"known": True, "days": days, "last": last})


def _champion_signal(contacts: list[Contact]) -> Signal | None:
    champions = [c for c in contacts if c.buying_role == BuyingRole.CHAMPION]
    if any(c.is_active for c in champions):
        return None
    return Signal(
        SIGNAL_CHAMPION_GONE, WEIGHT_CHAMPION_GONE, {"names": [str(c) for c in champions]}
    )


def _drop(last: Decimal, before: Decimal) -> Decimal | None:
    """The fall in percent from `before` to `last`, or None when it did not fall enough."""
    if before <= 0 or last >= before:
        return None
    drop = (before - last) * 100 / before
    return drop if drop >= REVENUE_DROP_PERCENT else None


def _revenue_signal(revenue: dict | None) -> Signal | None:
    if not revenue:
        return None
    drop6 = _drop(revenue["last6"], revenue["prev6"])
    drop12 = _drop(revenue["last12"], revenue["prev12"])
    if drop6 is None and drop12 is None:
        return None
    facts = {key: revenue[key] for key in ("last6", "prev6", "last12", "prev12")}
    return Signal(
        SIGNAL_REVENUE_FALLING, WEIGHT_REVENUE_FALLING, {**facts, "drop6": drop6, "drop12": drop12}
    )


def _notice_signals(contract: Contract, today: datetime.date) -> list[Signal]:
    signals: list[Signal] = []
    if contract.status != ContractStatus.ACTIVE:
        return signals
    notice_on = notice_date(contract)
    days = (notice_on - today).days
    automatic = contract.renewal_terms == RenewalTerms.AUTOMATIC
    if contract.renewal_terms == RenewalTerms.NONE:
        signals.append(Signal(SIGNAL_NO_RENEWAL_TERMS, WEIGHT_NO_RENEWAL_TERMS))
    if 0 <= days <= NOTICE_CLOSE_DAYS:
        facts = {"notice_on": notice_on, "days": days}
        signals.append(Signal(SIGNAL_NOTICE_CLOSE, WEIGHT_NOTICE_CLOSE, facts))
    elif days < 0 and not automatic:
        # An automatic renewal past its notice date renews unless notice was given: no risk
        # in the date itself. A negotiated one past it is late and still open.
        facts = {"notice_on": notice_on, "days": -days}
        signals.append(Signal(SIGNAL_NOTICE_PASSED, WEIGHT_NOTICE_PASSED, facts))
    return signals


def _lost_deals_signal(lost: int) -> Signal | None:
    if not lost:
        return None
    return Signal(SIGNAL_LOST_DEALS, WEIGHT_LOST_DEALS, {"count": lost})


def renewal_risks(
    contracts: Iterable[Contract], today: datetime.date | None = None
) -> list[RenewalRisk]:
    """The renewal-risk score of each contract, in the given order, with its signals."""
    today = today or timezone.localdate()
    contracts = list(contracts)
    account_ids = {c.account_id for c in contracts}
    if not account_ids:
        return []
    contacts, revenue, lost = _account_facts(account_ids, today, contacts_by_account)
    risks = []
    for contract in contracts:
        people = contacts.get(contract.account_id, [])
        found = [
            _decision_maker_signal(people, today),
            _revenue_signal(revenue.get(contract.account_id)),
            _champion_signal(people),
            *_notice_signals(contract, today),
            _lost_deals_signal(lost.get(contract.account_id, 0)),
        ]
        factors = sorted((s for s in found if s is not None), key=lambda s: -s.weight)
        score = min(100, sum(s.weight for s in factors))
        risks.append(RenewalRisk(contract, score, level_for(score), factors))
    return risks


@dataclass(frozen=True)
class RiskScore:
    """A contract's renewal-risk score and level with the codes of its signals, without the
    sentences (for totals over thousands of contracts: the KAM cockpit of every KAM)."""

    contract: Contract
    score: int
    level: str
    codes: tuple[str, ...]


def _contact_rows_by_account(account_ids: set[int], today: datetime.date) -> dict[int, list]:
    """The facts of `contacts_by_account` as plain rows (no model instances)."""
    found = defaultdict(list)
    rows = _decision_contacts(account_ids, today).values(
        "account_id", "buying_role", "is_active", "last_activity_at"
    )
    for row in rows.order_by():
        found[row["account_id"]].append(row)
    return found


def _account_facts(account_ids: set[int], today: datetime.date, contacts_of) -> tuple:
    """The accounts' contacts (as `contacts_of` reads them), revenue windows and lost
    renewals, read in chunks: SQLite limits the number of parameters of one query."""
    contacts: dict[int, list] = {}
    revenue: dict[int, dict] = {}
    lost: dict[int, int] = {}
    ordered = sorted(account_ids)
    for start in range(0, len(ordered), CHUNK):
        chunk = set(ordered[start : start + CHUNK])
        contacts |= contacts_of(chunk, today)
        revenue |= revenue_by_window(chunk, today)
        lost |= lost_renewals_by_account(chunk, today)
    return contacts, revenue, lost


def _codes(contract, people: list[dict], revenue: dict | None, lost: int, today) -> list[str]:
    """The codes of the signals `renewal_risks` finds, by the same rules, without sentences."""
    codes = []
    makers = [c for c in people if c["buying_role"] in DECISION_ROLES and c["is_active"]]
    times = [c["last_activity_at"] for c in makers if c["last_activity_at"] is not None]
    if not times or (today - timezone.localdate(max(times))).days >= DECISION_MAKER_DAYS:
        codes.append(SIGNAL_NO_DECISION_MAKER)
    if revenue and (
        _drop(revenue["last6"], revenue["prev6"]) is not None
        or _drop(revenue["last12"], revenue["prev12"]) is not None
    ):
        codes.append(SIGNAL_REVENUE_FALLING)
    champions = [c for c in people if c["buying_role"] == BuyingRole.CHAMPION]
    if not any(c["is_active"] for c in champions):
        codes.append(SIGNAL_CHAMPION_GONE)
    if contract.status == ContractStatus.ACTIVE:
        days = (notice_date(contract) - today).days
        if contract.renewal_terms == RenewalTerms.NONE:
            codes.append(SIGNAL_NO_RENEWAL_TERMS)
        if 0 <= days <= NOTICE_CLOSE_DAYS:
            codes.append(SIGNAL_NOTICE_CLOSE)
        elif days < 0 and contract.renewal_terms != RenewalTerms.AUTOMATIC:
            codes.append(SIGNAL_NOTICE_PASSED)
    if lost:
        codes.append(SIGNAL_LOST_DEALS)
    return codes


def risk_scores(
    contracts: Iterable[Contract], today: datetime.date | None = None
) -> list[RiskScore]:
    """The score and level `renewal_risks` gives each contract (same rules, same numbers),
    in the given order, without building the signal sentences and without loading contacts
    as model instances: for many contracts at once."""
    today = today or timezone.localdate()
    contracts = list(contracts)
    account_ids = {c.account_id for c in contracts}
    contacts, revenue, lost = _account_facts(account_ids, today, _contact_rows_by_account)
    scores = []
    for contract in contracts:
        account = contract.account_id
        codes = _codes(
            contract, contacts.get(account, []), revenue.get(account), lost.get(account, 0), today
        )
        score = min(100, sum(WEIGHTS[code] for code in codes))
        scores.append(RiskScore(contract, score, level_for(score), tuple(codes)))
    return scores


# -- upcoming renewals ---------------------------------------------------------------------------


def active_contracts(user: User) -> QuerySet[Contract]:
    """The visible contracts whose renewal is still to be decided (active), with their account
    and its owner: what the upcoming renewals are picked from."""
    return (
        visible_contracts(user)
        .filter(status=ContractStatus.ACTIVE)
        .select_related("account__owner")
    )


def upcoming_renewals(
    user: User, within_days: int = 180, today: datetime.date | None = None
) -> QuerySet[Contract]:
    """The visible active contracts ending within `within_days` from today (soonest first),
    and those already ended whose outcome is not recorded yet (they are overdue)."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=within_days)
    return active_contracts(user).filter(end_on__lte=until).order_by("end_on", "pk")


def with_risk_scores(contracts: QuerySet[Contract], risks: list[RenewalRisk]) -> QuerySet:
    """`contracts` with `risk_score` (0-100 as in `risks`) for ordering in the database: one
    condition per score the contracts have (a few dozen at most), not one per contract."""
    by_score: dict[int, list[int]] = defaultdict(list)
    for risk in risks:
        by_score[risk.score].append(risk.contract.pk)
    whens = [When(pk__in=ids, then=Value(score)) for score, ids in sorted(by_score.items())]
    return contracts.annotate(
        risk_score=Case(*whens, default=Value(0), output_field=IntegerField())
    )


def manageable_account_ids(user: User) -> set[int] | None:
    """Accounts whose renewals `user` may decide: their own (a KAM's with subsidiaries), their
    team's for a Sales Manager, all for Head of Sales and admins (None). Seeing an account
    through a deal on it is not enough."""
    if user.sees_everything:
        return None
    owned = set(
        Account.objects.filter(owner_id__in=managed_user_ids(user)).values_list("pk", flat=True)
    )
    if user.role == Role.KEY_ACCOUNT_MANAGER:
        owned = with_subsidiaries(owned)
    return owned


def can_record_outcome(user: User, contract: Contract) -> bool:
    ids = manageable_account_ids(user)
    return ids is None or contract.account_id in ids


def get_contract_for(user: User, pk: int) -> Contract:
    return get_object_or_404(visible_contracts(user).select_related("account__owner"), pk=pk)


# -- renewal rate --------------------------------------------------------------------------------


def renewal_rate(contracts: Iterable[Contract]) -> float | None:
    """Among the given contracts with a recorded outcome, the share (0–1) that was renewed,
    expanded or reduced; churned ones count against. None when none has an outcome."""
    if isinstance(contracts, QuerySet):
        counts = contracts.aggregate(
            decided=Count("pk", filter=Q(status__in=OUTCOMES)),
            kept=Count("pk", filter=Q(status__in=RETAINED)),
        )
        decided, kept = counts["decided"], counts["kept"]
    else:
        statuses = [c.status for c in contracts]
        decided = sum(1 for s in statuses if s in OUTCOMES)
        kept = sum(1 for s in statuses if s in RETAINED)
    if not decided:
        return None
    return kept / decided


@dataclass
class RateRow:
    """The renewal outcomes of one account owner's contracts that ended in a period."""

    owner: User | None
    due: int = 0
    renewed: int = 0
    expanded: int = 0
    reduced: int = 0
    churned: int = 0

    @property
    def decided(self) -> int:
        return self.renewed + self.expanded + self.reduced + self.churned

    @property
    def pending(self) -> int:
        return self.due - self.decided

    @property
    def rate(self) -> float | None:
        return (
            (self.renewed + self.expanded + self.reduced) / self.decided if self.decided else None
        )

    def as_dict(self) -> dict:
        return {
            "due": self.due,
            "renewed": self.renewed,
            "expanded": self.expanded,
            "reduced": self.reduced,
            "churned": self.churned,
            "pending": self.pending,
            "renewal_rate": self.rate,
        }


def contracts_ending_in(user: User, start: datetime.date, end: datetime.date) -> QuerySet:
    """Visible contracts whose term ends in [start, end]: the renewals due in that period."""
    return visible_contracts(user).filter(end_on__gte=start, end_on__lte=end)


def renewal_rates(user: User, start: datetime.date, end: datetime.date) -> dict:
    """The renewal rate per KAM for contracts ending in [start, end], and the total.

    A contract belongs to its account's current owner; rows are the KAMs among the owners
    (a KAM sees their own row only, through what they may see). The total covers every
    visible contract, whoever owns the account."""
    rows = (
        contracts_ending_in(user, start, end)
        .values("account__owner_id", "status")
        .annotate(n=Count("pk"))
    )
    by_owner: dict[int, RateRow] = {}
    total = RateRow(owner=None)
    for row in rows:
        owner_id = row["account__owner_id"]
        entry = by_owner.setdefault(owner_id, RateRow(owner=None))
        for target in (entry, total):
            target.due += row["n"]
            if row["status"] in OUTCOMES:
                setattr(target, row["status"], getattr(target, row["status"]) + row["n"])
    kams = User.objects.filter(pk__in=by_owner, role=Role.KEY_ACCOUNT_MANAGER)
    result = []
    for kam in kams.order_by("last_name", "first_name", "pk"):
        entry = by_owner[kam.pk]
        entry.owner = kam
        result.append(entry)
    return {"rows": result, "total": total}


def rate_trend(user: User, periods: list) -> list[dict]:
    """The renewal outcomes of all visible contracts for each period (oldest first): one
    aggregate query per period."""
    contracts = visible_contracts(user)
    trend = []
    for period in periods:
        counts = contracts.filter(end_on__gte=period.start, end_on__lte=period.end).aggregate(
            due=Count("pk"),
            **{outcome: Count("pk", filter=Q(status=outcome)) for outcome in OUTCOMES},
        )
        total = RateRow(owner=None, **counts)
        trend.append({"period": period.code, **total.as_dict()})
    return trend
