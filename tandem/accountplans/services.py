"""Every write of account plans: the plan itself, its review dates and its actions.

Each write runs in one transaction and leaves an audit row. Who may write: whoever may manage
the account (its owner, the owner's Sales Manager, the Head of Sales, admins); the owner of
an action may also move its status and note.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accountplans.models import (
    GROWTH_MAX,
    GROWTH_MIN,
    YEAR_MAX,
    YEAR_MIN,
    AccountPlan,
    ActionStatus,
    PlanAction,
    PlanReview,
    TeamFunction,
)
from tandem.accounts.models import Account, Tier
from tandem.audit.services import record
from tandem.catalog.models import Product
from tandem.core.errors import DomainError
from tandem.keyaccounts.services import can_manage_account
from tandem.users.models import User

PLAN_TEXTS = ("objectives", "risks")
ACTION_FIELDS = ("title", "function", "owner", "due_on", "status", "note")


def can_edit_plan(user: User, account: Account) -> bool:
    """The account's owner (the KAM), their Sales Manager, the Head of Sales and admins."""
    return bool(user and user.is_active) and can_manage_account(user, account)


def can_update_action(user: User, action: PlanAction) -> bool:
    """Who may move an action's status: the plan's editors and the action's owner."""
    return action.owner_id == user.pk or can_edit_plan(user, action.plan.account)


def _check_editor(user: User, account: Account) -> None:
    if not can_edit_plan(user, account):
        raise DomainError(
            _("Only the account's owner, their Sales Manager or the Head of Sales may do this.")
        )


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = None
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        raise DomainError(
            _("Enter a year between {low} and {high}.").format(low=YEAR_MIN, high=YEAR_MAX),
            field="year",
        )
    return year


def _growth(value) -> Decimal:
    try:
        growth = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError, ValueError):
        growth = None
    if growth is None or not GROWTH_MIN <= growth <= GROWTH_MAX:
        raise DomainError(
            _("The growth target is a percentage between {low} and {high}.").format(
                low=GROWTH_MIN, high=GROWTH_MAX
            ),
            field="growth_target_percent",
        )
    return growth


def _objectives(value) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(_("Write down at least one objective."), field="objectives")
    return text


def _whitespace(
    products: Iterable[Product] | None, kept: AbstractSet[int] = frozenset()
) -> list[Product]:
    """The products to pursue; one no longer sold may stay (`kept`) but not be added."""
    products = list(products or [])
    inactive = [p.name for p in products if not p.is_active and p.pk not in kept]
    if inactive:
        raise DomainError(
            _("No longer sold: {names}.").format(names=", ".join(sorted(inactive))),
            field="whitespace",
        )
    return products


def _review_dates(year: int, dates: Iterable[datetime.date] | None) -> list[datetime.date]:
    dates = sorted(set(dates or []))
    outside = [d for d in dates if d.year != year]
    if outside:
        raise DomainError(
            _("Review dates must lie in the plan year {year}: {dates}.").format(
                year=year, dates=", ".join(d.isoformat() for d in outside)
            ),
            field="review_dates",
        )
    return dates


def _set_reviews(plan: AccountPlan, dates: list[datetime.date]) -> bool:
    current = set(plan.reviews.values_list("review_on", flat=True))
    if current == set(dates):
        return False
    plan.reviews.exclude(review_on__in=dates).delete()
    PlanReview.objects.bulk_create(
        [PlanReview(plan=plan, review_on=day) for day in dates if day not in current]
    )
    return True


def _duplicate_year(account: Account, year: int) -> DomainError:
    return DomainError(
        _("{account} already has an account plan for {year}.").format(account=account, year=year),
        field="year",
    )


@transaction.atomic
def create_plan(
    account: Account,
    year: int,
    *,
    acting_user: User,
    objectives: str,
    growth_target_percent,
    risks: str = "",
    whitespace: Iterable[Product] | None = None,
    review_dates: Iterable[datetime.date] | None = None,
) -> AccountPlan:
    """The plan of a key account for one year (one plan per account and year)."""
    account = (
        Account.objects.select_for_update(of=("self",))
        .select_related("owner__team")
        .get(pk=account.pk)
    )
    _check_editor(acting_user, account)
    if account.tier != Tier.KEY_ACCOUNT:
        raise DomainError(
            _("Account plans are for key accounts; {account} is not one.").format(account=account),
            field="account",
        )
    year = _year(year)
    if AccountPlan.objects.filter(account=account, year=year).exists():
        raise _duplicate_year(account, year)
    plan = AccountPlan(
        account=account,
        year=year,
        objectives=_objectives(objectives),
        growth_target_percent=_growth(growth_target_percent),
        risks=(risks or "").strip(),
        created_by=acting_user,
    )
    products = _whitespace(whitespace)
    dates = _review_dates(year, review_dates)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as error:  # a second plan saved at the same moment
        raise _duplicate_year(account, year) from error
    plan.whitespace.set(products)
    _set_reviews(plan, dates)
    record(
        plan,
        "accountplan.created",
        acting_user=acting_user,
        changes={
            "account": account.pk,
            "year": year,
            "growth_target_percent": str(plan.growth_target_percent),
            "whitespace": sorted(p.pk for p in products),
            "review_dates": [d.isoformat() for d in dates],
        },
    )
    return plan


@transaction.atomic
def update_plan(plan: AccountPlan, *, acting_user: User, **changes) -> AccountPlan:
    """Change objectives, growth target, risks, whitespace or review dates (the account and
    the year stay)."""
    plan = (
        AccountPlan.objects.select_for_update(of=("self",))
        .select_related("account__owner__team")
        .get(pk=plan.pk)
    )
    _check_editor(acting_user, plan.account)
    unknown = set(changes) - {*PLAN_TEXTS, "growth_target_percent", "whitespace", "review_dates"}
    if unknown:
        raise DomainError(_("The account and the year of a plan cannot be changed."))
    diff: dict[str, object] = {}
    if changes.get("objectives") is not None:
        objectives = _objectives(changes["objectives"])
        if objectives != plan.objectives:
            diff["objectives"] = True
            plan.objectives = objectives
    if changes.get("risks") is not None:
        risks = changes["risks"].strip()
        if risks != plan.risks:
            diff["risks"] = True
            plan.risks = risks
    if changes.get("growth_target_percent") is not None:
        growth = _growth(changes["growth_target_percent"])
        if growth != plan.growth_target_percent:
            diff["growth_target_percent"] = [str(plan.growth_target_percent), str(growth)]
            plan.growth_target_percent = growth
    if changes.get("whitespace") is not None:
        old = set(plan.whitespace.values_list("pk", flat=True))
        products = _whitespace(changes["whitespace"], old)
        new = {p.pk for p in products}
        if old != new:
            diff["whitespace"] = [sorted(old), sorted(new)]
            plan.whitespace.set(products)
    if changes.get("review_dates") is not None:
        dates = _review_dates(plan.year, changes["review_dates"])
        if _set_reviews(plan, dates):
            diff["review_dates"] = [d.isoformat() for d in dates]
    if diff:
        plan.save()
        record(plan, "accountplan.updated", acting_user=acting_user, changes=diff)
    return plan


@transaction.atomic
def delete_plan(plan: AccountPlan, *, acting_user: User) -> None:
    plan = AccountPlan.objects.select_related("account__owner__team").get(pk=plan.pk)
    _check_editor(acting_user, plan.account)
    record(
        plan,
        "accountplan.deleted",
        acting_user=acting_user,
        changes={"account": plan.account_id, "year": plan.year},
    )
    plan.delete()


# --- actions -------------------------------------------------------------------------------


def _check_action(plan: AccountPlan, values: dict) -> None:
    """Bad input of an action, named by its field."""
    if not values["title"]:
        raise DomainError(_("Say what is to be done."), field="title")
    if values["function"] not in TeamFunction.values:
        raise DomainError(
            _("Choose one of: {choices}.").format(choices=", ".join(TeamFunction.values)),
            field="function",
        )
    owner = values["owner"]
    if owner is None:
        raise DomainError(_("Every action has an owner."), field="owner")
    if not owner.is_active:
        raise DomainError(_("{name} is no longer active.").format(name=owner), field="owner")
    due = values["due_on"]
    if due is None:
        raise DomainError(_("Every action has a due date."), field="due_on")
    if due.year != plan.year:
        raise DomainError(
            _("The due date must lie in the plan year {year}.").format(year=plan.year),
            field="due_on",
        )
    if values["status"] not in ActionStatus.values:
        raise DomainError(
            _("Choose one of: {choices}.").format(choices=", ".join(ActionStatus.values)),
            field="status",
        )
    if values["status"] == ActionStatus.BLOCKED and not values["note"]:
        raise DomainError(_("Say what blocks this action."), field="note")


def _completed_on(status: str, before: datetime.date | None) -> datetime.date | None:
    if status != ActionStatus.DONE:
        return None
    return before or timezone.localdate()


@transaction.atomic
def add_action(
    plan: AccountPlan,
    *,
    acting_user: User,
    title: str,
    function: str,
    owner: User | None,
    due_on: datetime.date | None,
    status: str = ActionStatus.OPEN,
    note: str = "",
) -> PlanAction:
    plan = (
        AccountPlan.objects.select_for_update(of=("self",))
        .select_related("account__owner__team")
        .get(pk=plan.pk)
    )
    _check_editor(acting_user, plan.account)
    values: dict[str, Any] = {
        "title": (title or "").strip(),
        "function": function,
        "owner": owner,
        "due_on": due_on,
        "status": status or ActionStatus.OPEN,
        "note": (note or "").strip(),
    }
    _check_action(plan, values)
    action = PlanAction.objects.create(
        plan=plan, completed_on=_completed_on(values["status"], None), **values
    )
    record(
        action,
        "accountplan.action_added",
        acting_user=acting_user,
        changes={
            "plan": plan.pk,
            "owner": action.owner_id,
            "due_on": action.due_on.isoformat(),
            "status": action.status,
        },
    )
    return action


@transaction.atomic
def update_action(action: PlanAction, *, acting_user: User, **changes) -> PlanAction:
    """Change an action. Its owner may move only its status and note; the plan's editors
    anything."""
    action = (
        PlanAction.objects.select_for_update(of=("self",))
        .select_related("plan__account__owner__team", "owner")
        .get(pk=action.pk)
    )
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: {names}.").format(names=", ".join(sorted(unknown))))
    changes = {k: v for k, v in changes.items() if v is not None}
    if not can_edit_plan(acting_user, action.plan.account):
        if action.owner_id != acting_user.pk or set(changes) - {"status", "note"}:
            raise DomainError(
                _(
                    "Only the plan's editors may change this; "
                    "the action's owner may move its status."
                )
            )
    values = {name: getattr(action, name) for name in ACTION_FIELDS}
    for name, value in changes.items():
        values[name] = value.strip() if isinstance(value, str) else value
    owner_changed = "owner" in changes and changes["owner"].pk != action.owner_id
    if not owner_changed:
        values["owner"] = action.owner
    # an owner who left since may stay on an old action; a new owner must be active
    _check_action(action.plan, values if owner_changed else {**values, "owner": _STAYING})
    diff = {}
    for name, value in values.items():
        old = getattr(action, name)
        if old != value:
            diff[name] = [_plain(old), _plain(value)]
            setattr(action, name, value)
    if diff:
        action.completed_on = _completed_on(action.status, action.completed_on)
        action.save()
        record(action, "accountplan.action_updated", acting_user=acting_user, changes=diff)
    return action


class _StayingOwner:
    is_active = True


_STAYING = _StayingOwner()


def _plain(value):
    if isinstance(value, User):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@transaction.atomic
def delete_action(action: PlanAction, *, acting_user: User) -> None:
    action = PlanAction.objects.select_related("plan__account__owner__team").get(pk=action.pk)
    _check_editor(acting_user, action.plan.account)
    record(
        action,
        "accountplan.action_deleted",
        acting_user=acting_user,
        changes={"plan": action.plan_id, "title": action.title},
    )
    action.delete()


def add_plans_in_bulk(
    plans: list[AccountPlan],
    whitespace: list[list[Product]],
    reviews: list[list[datetime.date]],
    actions: list[list[PlanAction]],
) -> None:
    """New plans with their whitespace products, review dates and actions (the lists run
    alongside `plans`), in a few statements: for generated organisations (the demo), whose
    plans are made up, not edited, so no audit row is written."""
    AccountPlan.objects.bulk_create(plans)
    through = AccountPlan.whitespace.through
    through.objects.bulk_create(
        [
            through(accountplan_id=plan.pk, product_id=product.pk)
            for plan, chosen in zip(plans, whitespace, strict=True)
            for product in chosen
        ]
    )
    PlanReview.objects.bulk_create(
        [
            PlanReview(plan=plan, review_on=day)
            for plan, days in zip(plans, reviews, strict=True)
            for day in days
        ]
    )
    rows = []
    for plan, planned in zip(plans, actions, strict=True):
        for action in planned:
            action.plan = plan
            rows.append(action)
    PlanAction.objects.bulk_create(rows)
