"""The rules of a deal's life, as plain functions on objects in memory (no database).

What a stage move changes on the deal and which StageChange it writes, which dates a won or
lost deal gets, what a deal's opening history is, and which audit row records each step. The
single-row services (`services.py`) and the bulk upserts (`bulk.py`) both apply them, so a deal
moved one way or the other ends the same: same fields, same history, same audit rows.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.errors import DomainError
from tandem.pipeline.models import Deal, Stage, StageChange, StageOutcome
from tandem.users.models import User

Audit = tuple[str, dict]  # (action, changes) of one audit row


def opening(deal: Deal, *, at: datetime.datetime, by: User | None) -> StageChange:
    """A new deal's history starts with it entering its stage."""
    return StageChange(
        deal=deal, from_stage=None, to_stage=deal.stage, changed_at=at, changed_by=by
    )


def created_audit(deal: Deal, *, imported_from: str | None = None) -> Audit:
    """A deal made here starts its trail with its stage; one brought by an import, with the
    import and its owner."""
    if imported_from:
        return "deal.imported", {"import": imported_from, "owner": deal.owner_id}
    return "deal.created", {"stage": deal.stage.code}


def move(
    deal: Deal,
    stage: Stage,
    *,
    at: datetime.datetime,
    by: User | None,
    lost_reason: str = "",
    reason_required: bool = True,
) -> StageChange:
    """Move `deal` (in memory) to `stage` and return the StageChange that keeps the move.

    Entering won or lost sets the close date to the day of the move; leaving them (a reopened
    deal) clears it; moving forward past the first stage engages a deal not engaged yet. A lost
    deal needs a reason: given here, or already on the deal — unless it comes from a source that
    keeps none (`reason_required=False`: an import of a CRM without lost reasons, which says so
    in its report, as a deal that file creates lost has none either).
    """
    old_stage = deal.stage
    if stage.outcome == StageOutcome.LOST:
        deal.lost_reason = (lost_reason or "").strip() or deal.lost_reason
        if reason_required and not deal.lost_reason.strip():
            raise DomainError(_("Please give a reason why the deal was lost."), field="lost_reason")
    deal.closed_on = closed_on = close_date(stage, at)
    if stage.is_terminal:
        assert closed_on is not None  # a won or lost deal closes when it gets there
        if deal.engaged_on and closed_on < deal.engaged_on:
            raise DomainError(_("A deal cannot close before it was engaged."))
    else:
        if old_stage.position < stage.position and deal.engaged_on is None and stage.position > 1:
            deal.engaged_on = timezone.localdate(at)
    deal.stage = stage
    return StageChange(
        deal=deal, from_stage=old_stage, to_stage=stage, changed_at=at, changed_by=by
    )


def close_date(
    stage: Stage, at: datetime.datetime, zone: datetime.tzinfo | None = None
) -> datetime.date | None:
    """A deal that enters won or lost at `at` closes that day (in `zone`, by default the
    current time zone); one in an open stage is open."""
    if stage.outcome == StageOutcome.OPEN:
        return None
    return at.astimezone(zone or timezone.get_current_timezone()).date()


def moved_audit(change: StageChange) -> Audit:
    assert change.from_stage is not None  # only a deal's opening comes from nowhere
    return "deal.stage_changed", {"stage": [change.from_stage.code, change.to_stage.code]}


def updated_audit(diff: dict) -> Audit:
    """Edited fields ({field: [old, new]}); a new owner is an ownership change."""
    return ("deal.owner_changed" if "owner" in diff else "deal.updated"), diff


def day_start(day: datetime.date, zone: datetime.tzinfo | None = None) -> datetime.datetime:
    """The first moment of `day` in `zone` (by default the current time zone; an import reads
    the zone once and passes it, as looking it up costs more than the rest)."""
    return datetime.datetime.combine(
        day, datetime.time(), tzinfo=zone or timezone.get_current_timezone()
    )


def reported_move_at(
    stage: Stage,
    closed_on: datetime.date | None,
    now: datetime.datetime,
    zone: datetime.tzinfo | None = None,
) -> datetime.datetime:
    """When a move reported by a file happened: a deal the file says closed on a day moved at
    that day's start (so the move gives it that close date); any other move, now."""
    if stage.is_terminal and closed_on is not None:
        return day_start(closed_on, zone)
    return now


def check_fields(deal: Deal) -> None:
    """A deal's own fields, without the database: types, lengths, choices, non-negative value,
    close after engagement (the database enforces the last two as well)."""
    deal.clean_fields(exclude=["account", "owner", "product", "stage", "channel"])
    if deal.value is not None and deal.value < 0:
        raise ValidationError({"value": _("The value cannot be negative.")})
    if deal.engaged_on and deal.closed_on and deal.closed_on < deal.engaged_on:
        raise ValidationError(_("A deal cannot close before it was engaged."))
