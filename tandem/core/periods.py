"""Reporting periods: a month (`2017-05`), a quarter (`2017Q3`) or a year (`2017`).

A period runs from its first to its last day, both included (as Quota.period_start/_end).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.errors import DomainError
from tandem.core.validation import EARLIEST_YEAR, LATEST_YEAR


class PeriodKind(models.TextChoices):
    MONTH = "month", gettext_lazy("Month")
    QUARTER = "quarter", gettext_lazy("Quarter")
    YEAR = "year", gettext_lazy("Year")


# A kind's length in months, by its value (a period's kind is a plain string)
_MONTHS: dict[str, int] = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}

_PATTERNS = [
    (re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), PeriodKind.MONTH),
    (re.compile(r"^(\d{4})$"), PeriodKind.YEAR),
]


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date  # last day, included

    @property
    def months(self) -> int:
        return _MONTHS[self.kind]

    @property
    def code(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    def __str__(self) -> str:
        return self.code

    def shifted(self, steps: int) -> Period:
        """The period `steps` periods of the same kind later (earlier when negative)."""
        start = _add_months(self.start, steps * self.months)
        return Period.starting(self.kind, start)

    @property
    def previous(self) -> Period:
        return self.shifted(-1)

    @classmethod
    def starting(cls, kind: str, start: datetime.date) -> Period:
        months = _MONTHS[kind]
        end = _add_months(start, months) - datetime.timedelta(days=1)
        return cls(kind, start, end)

    @classmethod
    def containing(cls, day: datetime.date, kind: str = PeriodKind.QUARTER) -> Period:
        if kind == PeriodKind.MONTH:
            return cls.starting(kind, day.replace(day=1))
        if kind == PeriodKind.QUARTER:
            return cls.starting(kind, datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
        return cls.starting(kind, datetime.date(day.year, 1, 1))

    @classmethod
    def parse(cls, text: str) -> Period:
        """`2017Q3`, `2017-05` or `2017`; anything else is refused with a DomainError."""
        value = (text or "").strip()
        for pattern, kind in _PATTERNS:
            match = pattern.match(value)
            if not match:
                continue
            year = int(match.group(1))
            if not EARLIEST_YEAR <= year <= LATEST_YEAR:
                break
            if kind == PeriodKind.QUARTER:
                start = datetime.date(year, (int(match.group(2)) - 1) * 3 + 1, 1)
            elif kind == PeriodKind.MONTH:
                month = int(match.group(2))
                if not 1 <= month <= 12:
                    break
                start = datetime.date(year, month, 1)
            else:
                start = datetime.date(year, 1, 1)
            return cls.starting(kind, start)
        raise DomainError(
            _(
                "“{text}” is not a period. Write a quarter (2017Q3), a month (2017-05) "
                "or a year (2017)."
            ).format(text=text),
            field="period",
        )
