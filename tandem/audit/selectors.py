from django.db.models import Model, QuerySet

from tandem.audit.models import AuditEvent


def history_of(obj: Model) -> QuerySet[AuditEvent]:
    """The audit trail of one record; callers fetch `obj` through a visibility getter first."""
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
