"""What a write touched, told to whoever keeps numbers derived from it.

The derived numbers (the KPI rollups, the KAM figures) are kept on floors above the records
they are derived from, so the services that write deals, activities, quotas, accounts or a
person's team cannot name them. Instead of the ORM's model signals (which a bulk write, a raw
delete or a forgotten `pre_save` pass by without a word), every service that writes says
what it touched, in its own transaction: which kind of records, and whose —
`touched("deals", owners=…, accounts=…)`. The keepers of derived numbers register here from
their `AppConfig.ready()` with the kinds of records they follow; each marks what it keeps of
the touched stale in its own table, in the same transaction (the marks commit or roll back
with the data), and asks for its refresh job, which starts once the write commits.

This lives in core because the writers sit on three floors (users on org, the records on crm,
quotas on planning) and every one of them may import core; the keepers above import it too.
It knows no model: the words are kinds of records and ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

# The kinds of records a write can touch (what a keeper follows).
RECORDS = frozenset(
    {
        "deals",  # deals and their stage changes
        "activities",  # activities and the contacts they name
        "accounts",  # an account's own row: its owner, tier, name …
        "contacts",
        "contracts",
        "revenue",  # invoiced revenue lines
        "quotas",
        "teams",  # who is in which team
    }
)


@dataclass(frozen=True)
class Touch:
    """What one write touched.

    - `records`: the kinds of records written (RECORDS);
    - `owners`: people whose deals, stage changes or activities changed (before and after a
      change of hands);
    - `accounts`: accounts whose records changed (before and after a move to another account);
    - `teams`: teams whose members or quotas changed; None stands for the people without a team;
    - `everything`: rows changed past the services (the demo's reset, a stage's outcome): every
      derived number is to be computed again.
    """

    records: frozenset[str] = frozenset()
    owners: frozenset[int] = frozenset()
    accounts: frozenset[int] = frozenset()
    teams: frozenset[int | None] = frozenset()
    everything: bool = False


Keeper = Callable[[Touch], None]

_keepers: dict[str, tuple[frozenset[str], Keeper]] = {}


def register(name: str, keeper: Keeper, *, follows: Iterable[str]) -> None:
    """A keeper of derived numbers wants to hear of the writes of these kinds of records (from
    its AppConfig.ready(); registering the same name again replaces it)."""
    kinds = frozenset(follows)
    _check(kinds)
    _keepers[name] = (kinds, keeper)


def keepers() -> dict[str, frozenset[str]]:
    """Who listens, and to which kinds of records."""
    return {name: kinds for name, (kinds, _keeper) in _keepers.items()}


def touched(
    *records: str,
    owners: Iterable[int | None] = (),
    accounts: Iterable[int | None] = (),
    teams: Iterable[int | None] = (),
) -> None:
    """Tell the keepers following these kinds of records what this write touched. Call it
    inside the writing transaction: the keepers' marks are rows written beside the data."""
    kinds = frozenset(records)
    _check(kinds)
    touch = Touch(
        records=kinds,
        owners=frozenset(pk for pk in owners if pk is not None),
        accounts=frozenset(pk for pk in accounts if pk is not None),
        teams=frozenset(teams),
    )
    if not (touch.owners or touch.accounts or touch.teams):
        return
    for follows, keeper in list(_keepers.values()):
        if follows & kinds:
            keeper(touch)


def touched_everything() -> None:
    """Rows were written past the services (deleted in bulk, say): compute everything again."""
    touch = Touch(records=RECORDS, everything=True)
    for _follows, keeper in list(_keepers.values()):
        keeper(touch)


def _check(kinds: frozenset[str]) -> None:
    if not kinds or kinds - RECORDS:
        raise ValueError(f"name kinds of records among {sorted(RECORDS)}, not {sorted(kinds)}")
