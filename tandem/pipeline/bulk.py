"""Writing many deals at once, with the rules of one (`rules.py`): the imports' way in.

`upsert_deals` takes one `DealWrite` per row: a new deal (its fields, and the history a source
tells, else it enters its stage now) or the fields a row sets on an existing one (a new stage
is a move, with the move's rule, StageChange and audit row). Every row is checked before
anything is written; a bad row raises `RowsRejected` naming each bad row. Then the deals,
their stage changes and their audit rows are written in a few statements, and the keepers of
derived numbers (the KPI rollups, the KAM figures) hear exactly which owners and accounts
changed (tandem.core.touched).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.audit.services import record_many
from tandem.core.bulk import BackgroundWriter, TableWriter, counting_saves
from tandem.core.errors import DomainError, RowsRejected, problems_of
from tandem.core.services import set_changes
from tandem.core.touched import touched
from tandem.pipeline import rules
from tandem.pipeline.models import Deal, Stage, StageChange
from tandem.pipeline.services import first_open_stage
from tandem.users.models import User

BATCH_SIZE = 1000


@dataclass
class DealWrite:
    """One row: a new deal (`deal` None) or the fields a row sets on `deal`.

    `deal` must come with its stage loaded (`select_related("stage")`). A stage in `fields`
    moves the deal at `at` (default: now) with `lost_reason` (required for a loss unless the
    source keeps none: `reason_required`); `history` is a new deal's stage history as its source
    tells it (default: it enters its stage now).
    """

    fields: dict
    deal: Deal | None = None
    history: list[StageChange] | None = None
    at: datetime.datetime | None = None
    lost_reason: str = ""
    reason_required: bool = True
    line: int | None = None
    created: bool = field(default=False, init=False)
    changed: bool = field(default=False, init=False)
    stage_changes: int = field(default=0, init=False)


def upsert_deals(
    writes: list[DealWrite],
    *,
    acting_user: User | None,
    imported_from: str | None = None,
) -> list[Deal]:
    """Create and update deals as the single-row services would, in bulk; returns the deals in
    the order of `writes` (each write's `created` / `changed` say what happened)."""
    now = timezone.now()
    today = timezone.localdate(now)
    opening_stage = None
    problems: list[tuple[int | None, str]] = []
    deals: list[Deal] = []
    new: list[Deal] = []
    changed: list[Deal] = []
    changed_fields: set[str] = set()
    history: list[StageChange] = []
    trail: list[tuple[DealWrite, Deal, list[rules.Audit]]] = []
    owners: set[int | None] = set()
    accounts: set[int | None] = set()
    for write in writes:
        fields = dict(write.fields)
        try:
            if write.deal is None:
                fields.setdefault("owner", acting_user)
                fields.setdefault("created_on", today)
                if "stage" not in fields:
                    opening_stage = opening_stage or first_open_stage()
                    fields["stage"] = opening_stage
                deal = Deal(**fields)
                rules.check_fields(deal)
                write.created = write.changed = True
                new.append(deal)
                opened = write.history or [rules.opening(deal, at=now, by=acting_user)]
                for change in opened:
                    change.deal = deal
                history.extend(opened)
                write.stage_changes = len(opened)
                audit = [rules.created_audit(deal, imported_from=imported_from)]
            else:
                deal = write.deal
                before = (deal.owner_id, deal.account_id)
                stage = fields.pop("stage", None)
                diff = set_changes(deal, fields)
                if diff:  # an unchanged deal is as valid as when it was stored
                    rules.check_fields(deal)
                audit = [rules.updated_audit(diff)] if diff else []
                changed_fields.update(diff)
                if stage is not None and stage.pk != deal.stage_id:
                    change = rules.move(
                        deal,
                        stage,
                        at=write.at or now,
                        by=acting_user,
                        lost_reason=write.lost_reason,
                        reason_required=write.reason_required,
                    )
                    history.append(change)
                    write.stage_changes = 1
                    audit.append(rules.moved_audit(change))
                    changed_fields.update({"stage", "closed_on", "engaged_on", "lost_reason"})
                write.changed = bool(audit)
                if write.changed:
                    changed.append(deal)
                    owners.add(before[0])
                    accounts.add(before[1])
        except (DomainError, ValidationError) as error:
            problems.extend((write.line, text) for text in problems_of(error))
            continue
        if write.changed:
            owners.add(deal.owner_id)
            accounts.add(deal.account_id)
        deals.append(deal)
        trail.append((write, deal, audit))
    if problems:
        raise RowsRejected(problems)

    Deal.objects.bulk_create(new, batch_size=BATCH_SIZE)
    _read_back_ids(new)
    if changed:
        columns = counting_saves(changed, changed_fields)
        Deal.objects.bulk_update(changed, columns, batch_size=BATCH_SIZE)
    StageChange.objects.bulk_create(history, batch_size=BATCH_SIZE)
    record_many(
        [(deal, action, changes) for _write, deal, audit in trail for action, changes in audit],
        acting_user=acting_user,
    )
    if new or changed:
        touched("deals", owners=owners, accounts=accounts)
    return deals


def _read_back_ids(deals: list[Deal]) -> None:
    """Backends without RETURNING leave new rows without ids: read them by external_ref."""
    if not deals or deals[0].pk is not None:
        return
    refs = {d.external_ref: d for d in deals}
    if None in refs:
        raise RuntimeError("deals without an external_ref need a backend with RETURNING")
    for pk, ref in Deal.objects.filter(external_ref__in=list(refs)).values_list(
        "pk", "external_ref"
    ):
        refs[ref].pk = pk


DEAL_COLUMNS = [
    "id",
    "name",
    "external_ref",
    "account",
    "owner",
    "product",
    "value",
    "stage",
    "channel",
    "deal_type",
    "created_on",
    "engaged_on",
    "expected_close_on",
    "closed_on",
    "lost_reason",
]
CHANGE_COLUMNS = ["id", "deal", "from_stage", "to_stage", "changed_at", "changed_by"]
_STAGE, _ENGAGED, _CLOSED = (DEAL_COLUMNS.index(c) for c in ("stage", "engaged_on", "closed_on"))


class DealRows:
    """Deals with their stage history written as rows with ids of their own, for generated
    organisations (the demo: millions of rows, COPY/executemany batches of tandem.core.bulk).

    A generated deal follows the rules of a real one: its history starts from no stage, each
    move starts where the last one ended, the last one enters the deal's stage, and the deal's
    close date is the one the pipeline's rule gives that move (`rules.close_date`), never
    before its engagement. A deal that breaks them is refused (ValueError).
    """

    def __init__(self, sink: BackgroundWriter | None = None):
        self.deals = TableWriter(Deal, DEAL_COLUMNS, sink=sink)
        self.changes = TableWriter(StageChange, CHANGE_COLUMNS, sink=sink)
        self.writers = [self.deals, self.changes]
        self.stages = {stage.pk: stage for stage in Stage.objects.all()}
        self.zone = timezone.get_current_timezone()  # read once: millions of deals

    def add(self, deal: tuple, history: list[tuple]) -> None:
        """`deal` in DEAL_COLUMNS' order, `history` oldest first in CHANGE_COLUMNS' order."""
        previous = None
        for change in history:
            if change[2] != previous:
                raise ValueError(f"deal {deal[0]}: its history skips from {previous}")
            previous = change[3]
        closed = deal[_CLOSED]
        if deal[_STAGE] != previous or closed != rules.close_date(
            self.stages[previous], history[-1][4], self.zone
        ):
            raise ValueError(f"deal {deal[0]}: its stage or close date is not its last move's")
        if closed is not None and deal[_ENGAGED] is not None and closed < deal[_ENGAGED]:
            raise ValueError(f"deal {deal[0]}: it closes before it was engaged")
        for change in history:
            self.changes.add(change)
        self.deals.add(deal)
