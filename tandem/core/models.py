from decimal import Decimal
from typing import Self

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TranslatedNameModel(models.Model):
    """Reference data that users edit (sectors, stages, channels) carries its own German name."""

    name = models.CharField(_("name (English)"), max_length=100)
    name_de = models.CharField(_("name (German)"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "en").startswith("de") and self.name_de:
            return self.name_de
        return self.name


class CompanyWide(models.Model):
    """Settings the whole company shares: one row (pk 1). Until somebody saves it, `current()`
    gives the defaults without storing them: reading a page never writes."""

    class Meta:
        abstract = True

    @classmethod
    def current(cls) -> Self:
        stored = cls._default_manager.filter(pk=1).first()
        return stored if stored is not None else cls._as_stored(cls(pk=1))

    @staticmethod
    def _as_stored(defaults):
        """The defaults as they read back once stored: amounts with their decimal places."""
        for field in defaults._meta.concrete_fields:
            value = getattr(defaults, field.attname)
            if isinstance(field, models.DecimalField) and isinstance(value, Decimal):
                setattr(
                    defaults,
                    field.attname,
                    value.quantize(Decimal(1).scaleb(-field.decimal_places)),
                )
        return defaults

    @classmethod
    def for_update(cls) -> Self:
        """The row, stored if it was not yet and locked: for a service about to change it."""
        cls._default_manager.get_or_create(pk=1)
        return cls._default_manager.select_for_update().get(pk=1)


class Versioned(models.Model):
    """A record that counts its saves, so that an edit made on an older reading is told
    instead of silently overwriting a colleague's change (`core.services.check_version`).

    Every save of a stored row adds one, also with `update_fields`; the services lock the row
    before they save it, so no two saves count the same number. Rows written by COPY or
    bulk_create start at 1 from the column's default; bulk updates add one themselves.
    """

    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)
