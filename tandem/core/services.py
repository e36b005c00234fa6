"""Helpers every app's services share."""

from django.core.exceptions import ValidationError
from django.db.models import Model


def apply_changes(instance: Model, changes: dict) -> dict:
    """Set fields, validate the row, return {field: [old, new]} of what really changed."""
    diff = {}
    for field, new in changes.items():
        old = getattr(instance, field)
        if old != new:
            diff[field] = [_plain(old), _plain(new)]
            setattr(instance, field, new)
    instance.full_clean()
    return diff


def _plain(value):
    if isinstance(value, Model):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def validate_new(instance: Model) -> Model:
    instance.full_clean()
    return instance


__all__ = ["ValidationError", "apply_changes", "validate_new"]
