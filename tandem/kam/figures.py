"""The KAM figures kept in count tables (tandem.kam.models): filled only by the job
`kam.refresh_figures` (tandem.kam.jobs), read by the cockpit, the API and the command.

Fresh within a minute of a change, without anyone having to remember it:
- every service that writes revenue lines, accounts, contacts, contracts, activities or deals
  (and their bulk writes) says which accounts it touched (`tandem.core.touched`); `keep`,
  registered in `KamConfig.ready`, marks them stale in the writing transaction. The first mark
  of a transaction asks for a refresh, on commit, unless one is already waiting; a scheduled
  refresh every minute catches what a lost job missed;
- `refresh()` recomputes the rows of the stale accounts in every kept period, and the
  period's churn and company revenue (which any account's change may move);
- a period not yet computed, or computed on an earlier day (its windows end "today"), is
  computed whole: every key account. So is every period in the nightly (`full`).

Kept: the current year, quarter and month and the one before each, and the periods an admin
asked for on the page.
Reading never computes: a period that is not kept says so (`stored` returns None).
"""

from __future__ import annotations

import contextlib
import datetime
import threading
from collections.abc import Iterable, Iterator
from types import SimpleNamespace

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tandem.accounts.models import Account, Tier
from tandem.core.periods import Period, PeriodKind
from tandem.core.touched import Touch
from tandem.jobs.services import enqueue, enqueue_unless_waiting
from tandem.kam.kpis import (
    KamKpis,
    KamWindow,
    assemble,
    company_revenue,
    key_account_churn,
    measure,
)
from tandem.kam.models import KamAccountFigures, KamPeriodFigures, KamStaleAccount
from tandem.users.models import User

JOB = "kam.refresh_figures"
CHUNK = 500  # accounts per IN (…) list (SQLite limits a query's parameters)
KEPT_KINDS = (PeriodKind.YEAR, PeriodKind.QUARTER, PeriodKind.MONTH)


# --- marking stale ------------------------------------------------------------------------


class _Marking(threading.local):
    paused = False


_marking = _Marking()


@contextlib.contextmanager
def marks_paused() -> Iterator[None]:
    """For writers that compute every account afterwards (the demo): no marks meanwhile."""
    before, _marking.paused = _marking.paused, True
    try:
        yield
    finally:
        _marking.paused = before


def mark_stale(account_ids: Iterable[int | None]) -> None:
    """The accounts' figures changed: recompute them with the next refresh, and ask for one
    (after this transaction commits) unless one is waiting already."""
    ids = {pk for pk in account_ids if pk is not None}
    if not ids or _marking.paused:
        return
    KamStaleAccount.objects.bulk_create(
        [KamStaleAccount(account_id=pk) for pk in ids], batch_size=1000
    )
    enqueue_unless_waiting(JOB)


def mark_everything_stale() -> None:
    """Rows were written past the services: every kept period computed whole, soon."""
    if not _marking.paused:
        enqueue(JOB, full=True)


# the records `compute` reads (tandem.core.touched)
FOLLOWS = ("deals", "activities", "accounts", "contacts", "contracts", "revenue")


def keep(touch: Touch) -> None:
    """What a write of the records in FOLLOWS touched (tandem.core.touched; registered in
    KamConfig.ready): the accounts' figures."""
    if touch.everything:
        mark_everything_stale()
    else:
        mark_stale(touch.accounts)


def ask_for(period: Period, user: User) -> None:
    """An admin's request: compute the period whole now, and keep it from then on."""
    enqueue(JOB, requested_by=user, period=period.code, full=True)


# --- filling ------------------------------------------------------------------------------


def default_periods(today: datetime.date) -> list[Period]:
    """The current year, quarter and month, and the one before each (a page's "previous")."""
    current = [Period.containing(today, kind) for kind in KEPT_KINDS]
    return current + [period.previous for period in current]


def refresh(period: str | None = None, *, full: bool = False) -> dict:
    """Bring the kept periods' figures up to date (see the module's docstring); with
    `period`, only that one, computed whole (an admin asked for it). Idempotent."""
    today = timezone.localdate()
    with transaction.atomic():
        # one refresh at a time: a second one waits here, then finds little left to do
        kept = {s.period: s for s in KamPeriodFigures.objects.select_for_update().order_by("pk")}
        defaults = [p.code for p in default_periods(today)]
        if period is not None:
            asked = period not in defaults
            _fill(Period.parse(period), today, kept.get(period), asked=asked)
            return {"periods": [period], "accounts": None}
        stale_max = KamStaleAccount.objects.aggregate(last=Max("pk"))["last"]
        stale = set(
            KamStaleAccount.objects.filter(pk__lte=stale_max or 0).values_list(
                "account_id", flat=True
            )
        )
        for code, state in list(kept.items()):
            if code not in defaults and not state.asked:
                KamAccountFigures.objects.filter(period=code).delete()
                state.delete()
                del kept[code]
        codes = [*defaults, *(code for code in kept if code not in defaults)]
        for code in codes:
            state = kept.get(code)
            if full or state is None or state.day != today:
                _fill(Period.parse(code), today, state)
            elif stale:
                _refresh_accounts(Period.parse(code), state, sorted(stale))
        if stale_max is not None:
            KamStaleAccount.objects.filter(pk__lte=stale_max).delete()
    return {"periods": codes, "accounts": None if full else len(stale)}


def _fill(
    period: Period, today: datetime.date, state: KamPeriodFigures | None, *, asked: bool = False
) -> None:
    """Every key account's row of the period, and the period's values."""
    window = KamWindow(period, today)
    rows = measure(Account.objects.filter(tier=Tier.KEY_ACCOUNT), window)
    KamAccountFigures.objects.filter(period=period.code).delete()
    KamAccountFigures.objects.bulk_create(rows, batch_size=1000)
    now = timezone.now()
    if state is None:
        state = KamPeriodFigures(period=period.code)
    state.day, state.filled_at, state.asked = today, now, state.asked or asked
    _save_period_values(state, window, now)


def _refresh_accounts(period: Period, state: KamPeriodFigures, account_ids: list[int]) -> None:
    """The rows of these accounts (gone for those no longer key accounts), then the period's
    values."""
    window = KamWindow(period, state.day)
    for start in range(0, len(account_ids), CHUNK):
        chunk = account_ids[start : start + CHUNK]
        rows = measure(Account.objects.filter(tier=Tier.KEY_ACCOUNT, pk__in=chunk), window)
        KamAccountFigures.objects.filter(period=period.code, account_id__in=chunk).delete()
        KamAccountFigures.objects.bulk_create(rows)
    _save_period_values(state, window, timezone.now())


def _save_period_values(state: KamPeriodFigures, window: KamWindow, now: datetime.datetime) -> None:
    """What no account's row holds: the key-account churn (company-wide) and the company's
    revenue in the period."""
    state.churn = key_account_churn(window)
    state.company_revenue = company_revenue(window)
    state.computed_at = now
    state.save()


# --- reading ------------------------------------------------------------------------------


def stored(
    kams: list[User], period: Period, *, with_company_revenue: bool
) -> tuple[KamKpis, datetime.datetime] | None:
    """The kept figures of the portfolios of `kams`, as `compute` would return them on the
    day they were computed for, and when they were last brought up to date; None when the
    period is not kept (yet). Only reads."""
    state = KamPeriodFigures.objects.filter(period=period.code).first()
    if state is None:
        return None
    rows = KamAccountFigures.objects.filter(period=period.code)
    if len(kams) == 1:
        rows = rows.filter(kam=kams[0])
    # plain rows, not model instances: every key account of the company is read at once
    measured = [SimpleNamespace(**row) for row in rows.order_by("name", "account_id").values(*READ)]
    window = KamWindow(period, state.day)
    company_total = state.company_revenue if with_company_revenue else None
    figures = assemble(kams, window, measured, state.churn, company_total)
    return figures, state.computed_at


# What a read needs of an account's row
READ = [
    f.attname
    for f in KamAccountFigures._meta.concrete_fields
    if f.attname not in {"id", "period", "computed_at"}
]
