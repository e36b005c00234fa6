from collections.abc import Iterable

from django.db.models import Model

from tandem.audit.models import AuditEvent

BATCH_SIZE = 2000


def _event(obj: Model, action: str, acting_user, changes: dict | None) -> AuditEvent:
    return AuditEvent(
        actor=acting_user if getattr(acting_user, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
    )


def record(obj: Model, action: str, *, acting_user, changes: dict | None = None) -> AuditEvent:
    """Write one audit row: called by services inside their transaction."""
    event = _event(obj, action, acting_user, changes)
    event.save()
    return event


def record_many(entries: Iterable[tuple[Model, str, dict | None]], *, acting_user) -> int:
    """The rows `record` writes, for many (object, action, changes) at once: the bulk services'
    audit trail. Returns how many were written."""
    events = [_event(obj, action, acting_user, changes) for obj, action, changes in entries]
    AuditEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    return len(events)
