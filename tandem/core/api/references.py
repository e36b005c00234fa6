"""Turn the ids and codes of a request body into rows, through the caller's visible rows.

A reference to a row the caller cannot see is answered like one to a row that does not exist:
422 on that field, so the API never tells whether an invisible row exists.
"""

from django.db.models import Model, QuerySet

from tandem.core.api.errors import unknown_reference


def referenced(rows: QuerySet, value, *, field: str, kind: str, lookup: str = "pk") -> Model | None:
    """The row of `rows` whose `lookup` equals `value`; None stays None."""
    if value is None:
        return None
    found = rows.filter(**{lookup: value}).first()
    if found is None:
        raise unknown_reference(field, kind)
    return found


def referenced_all(rows: QuerySet, values: list | None, *, field: str, kind: str) -> list | None:
    """The rows of `rows` with these ids, all of them or a 422 on `field`; None stays None."""
    if values is None:
        return None
    wanted = set(values)
    found = list(rows.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise unknown_reference(field, kind)
    return found
