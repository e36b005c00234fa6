"""Helpers every app's services share."""

import functools
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import ForeignKey, Model
from django.utils.translation import gettext as _

from tandem.core.errors import StaleRecord
from tandem.core.models import Versioned

M = TypeVar("M", bound=Model)


def set_changes(instance: Model, changes: dict) -> dict:
    """Set fields without validating; return {field: [old, new]} of what really changed.

    Foreign keys are compared by id, so nothing is read from the database: the bulk services
    diff thousands of rows this way, the single-row ones through `apply_changes`.
    """
    keys = _foreign_keys(type(instance))
    diff = {}
    for field, new in changes.items():
        if field in keys:
            old = getattr(instance, f"{field}_id")
            if old != (new.pk if isinstance(new, Model) else new):
                diff[field] = [old, _plain(new)]
                setattr(instance, field, new)
            continue
        old = getattr(instance, field)
        if old != new:
            diff[field] = [_plain(old), _plain(new)]
            setattr(instance, field, new)
    return diff


@functools.cache
def _foreign_keys(model: type[Model]) -> frozenset[str]:
    return frozenset(f.name for f in model._meta.concrete_fields if isinstance(f, ForeignKey))


def apply_changes(instance: Model, changes: dict) -> dict:
    """Set fields, validate the row, return {field: [old, new]} of what really changed."""
    diff = set_changes(instance, changes)
    instance.full_clean()
    return diff


def _plain(value):
    if isinstance(value, Model):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def validate_new(instance: M) -> M:
    instance.full_clean()
    return instance


def check_version(instance: Versioned, version: int | None) -> None:
    """Refuse to save over a change someone else made since the caller read `version`.
    Call it on the locked row; None (a caller that did not send one) checks nothing."""
    if version is not None and version != instance.version:
        raise StaleRecord(
            _("Someone else changed this record since you opened it."), current=instance.version
        )


__all__ = ["ValidationError", "apply_changes", "set_changes", "validate_new"]
