from django.db.models import Model

from tandem.audit.models import AuditEvent


def record(obj: Model, action: str, *, acting_user, changes: dict | None = None) -> AuditEvent:
    """Write one audit row: called by services inside their transaction."""
    return AuditEvent.objects.create(
        actor=acting_user if getattr(acting_user, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
    )
