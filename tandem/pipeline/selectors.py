"""Reads of deals, scoped: own deals, the team's for a Sales Manager, a KAM's accounts' deals."""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tandem.accounts.selectors import visible_account_ids_query
from tandem.pipeline.models import Deal, Stage, StageChange, StageOutcome
from tandem.users.models import Role, User
from tandem.users.selectors import managed_user_ids


def visible_deals(user: User) -> QuerySet[Deal]:
    if user.sees_everything:
        return Deal.objects.all()
    condition = Q(owner_id__in=managed_user_ids(user))
    if user.role == Role.KEY_ACCOUNT_MANAGER:
        condition |= Q(account_id__in=visible_account_ids_query(user))
    return Deal.objects.filter(condition)


def search_deals(deals: QuerySet[Deal], text: str) -> QuerySet[Deal]:
    """Deals whose name or account name contains `text` (the web list and the API)."""
    text = text.strip()
    if not text:
        return deals
    return deals.filter(Q(name__icontains=text) | Q(account__name__icontains=text))


def get_deal_for(user: User, pk: int) -> Deal:
    return get_object_or_404(visible_deals(user), pk=pk)


def visible_stage_changes(user: User) -> QuerySet[StageChange]:
    return StageChange.objects.filter(deal__in=visible_deals(user))


def pipeline_stages() -> QuerySet[Stage]:
    return Stage.objects.order_by("position")


# --- lists, board and history -------------------------------------------------------------

BOARD_RECENT_DAYS = 30
BOARD_CARDS_PER_COLUMN = 20


def with_stage_entered_at(deals: QuerySet[Deal]) -> QuerySet[Deal]:
    """Annotate `stage_entered_at`: when the deal last entered its current stage (None when
    no move is recorded, e.g. for deals imported without history)."""
    entered = (
        StageChange.objects.filter(deal_id=OuterRef("pk"), to_stage_id=OuterRef("stage_id"))
        .order_by("-changed_at", "-id")
        .values("changed_at")[:1]
    )
    return deals.annotate(stage_entered_at=Subquery(entered))


def days_in_stage(deal: Deal, today: datetime.date | None = None) -> int | None:
    """Whole days since the deal entered its stage; falls back to its engagement or creation
    date when no move is recorded. Needs `with_stage_entered_at` on the queryset."""
    today = today or timezone.localdate()
    entered = getattr(deal, "stage_entered_at", None)
    since: datetime.date | None
    if entered is not None:
        since = timezone.localdate(entered)
    elif deal.stage.is_terminal and deal.closed_on:
        since = deal.closed_on
    else:
        since = deal.engaged_on or deal.created_on
    if since is None:
        return None
    return max((today - since).days, 0)


def deal_totals(deals: QuerySet[Deal]) -> dict:
    """Number of deals and their summed value, in one query."""
    totals = deals.order_by().aggregate(count=Count("pk"), value=Sum("value"))
    return {"count": totals["count"], "value": totals["value"] or Decimal("0")}


def board_deals(user: User, today: datetime.date | None = None) -> QuerySet[Deal]:
    """What the board shows: visible open deals and those closed in the last 30 days."""
    return on_the_board(visible_deals(user), today)


def on_the_board(deals: QuerySet[Deal], today: datetime.date | None = None) -> QuerySet[Deal]:
    """Of `deals`, the open ones and those closed in the last 30 days."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=BOARD_RECENT_DAYS)
    return deals.filter(Q(stage__outcome=StageOutcome.OPEN) | Q(closed_on__gte=since))


def board_columns(
    deals: QuerySet[Deal],
    cards_per_column: int = BOARD_CARDS_PER_COLUMN,
    today: datetime.date | None = None,
) -> list[dict]:
    """One column per stage (open stages in order, then won and lost) with the number of deals,
    their summed value and at most `cards_per_column` cards, highest value first, each with
    its `days_in_stage`.

    At most four queries whatever the number of deals: stages, totals per stage, the ids of the
    first cards per stage (a window function), the cards.
    """
    stages = list(pipeline_stages())
    totals: dict[int, Mapping[str, Any]] = {
        row["stage_id"]: row
        for row in deals.order_by()
        .values("stage_id")
        .annotate(count=Count("pk"), value=Sum("value"))
    }
    by_stage: dict[int, list[Deal]] = {stage.pk: [] for stage in stages}
    if cards_per_column > 0:
        ranked = deals.annotate(
            rank=Window(
                RowNumber(), partition_by=F("stage_id"), order_by=[F("value").desc(), F("pk")]
            )
        ).filter(rank__lte=cards_per_column)
        card_ids = list(ranked.values_list("pk", flat=True))
        cards = (
            with_stage_entered_at(Deal.objects.filter(pk__in=card_ids))
            .select_related("account", "owner", "stage")
            .order_by("-value", "pk")
        )
        for card in cards if card_ids else []:
            card.days_in_stage = days_in_stage(card, today)  # type: ignore[attr-defined]  # for the template
            by_stage[card.stage_id].append(card)
    return [
        {
            "stage": stage,
            "count": totals.get(stage.pk, {}).get("count", 0),
            "value": totals.get(stage.pk, {}).get("value") or Decimal("0"),
            "cards": by_stage[stage.pk],
        }
        for stage in stages
    ]


def stage_history(deal: Deal, now: datetime.datetime | None = None) -> list[dict]:
    """The deal's moves, oldest first, each with the whole days it stayed in the stage it
    entered (up to the next move, or until now for the current open stage)."""
    now = now or timezone.now()
    changes = list(
        deal.stage_changes.select_related("from_stage", "to_stage", "changed_by").order_by(
            "changed_at", "id"
        )
    )
    rows = []
    for index, change in enumerate(changes):
        following = changes[index + 1] if index + 1 < len(changes) else None
        if following is not None:
            days = (following.changed_at - change.changed_at).days
        elif not change.to_stage.is_terminal:
            days = (now - change.changed_at).days
        else:
            days = None
        rows.append({"change": change, "days": days, "current": following is None})
    return rows
