"""What every input must be, whichever door it comes through: the rules are plain functions here,
and forms, the API's schemas, query strings and the imports all apply these same functions.

Why: PostgreSQL refuses a NUL character in text and a whole number beyond its column, SQLite
stores both; a far date (year 9999) stored today breaks every page that shows it in local time
tomorrow. Refusing such values at input, with the field named, keeps both databases storing the
same rows and no page can fail on what was let in.

- Text: no control characters (U+0000–U+001F, U+007F–U+009F) and no lone surrogates; a
  multi-line text keeps tab, line feed and carriage return.
- Whole numbers: within their column (`INTEGER_*` for IntegerField, `BIGINT_*` for ids and
  BigIntegerField).
- Dates and times: the years `EARLIEST_YEAR`–`LATEST_YEAR`.

Each rule raises `InputError` (an English template marked for translation and its values);
`message()` gives it in the active language, `pydantic_error()` and `django_error()` in the
shape of the API and of the forms; the imports add the column and the line.
"""

from __future__ import annotations

import datetime
import math
import re
from decimal import Decimal
from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

# The years a date may have: wide enough for founding years and long contracts, narrow enough
# that any date converts to any time zone and back.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2199
EARLIEST_DATE = datetime.date(EARLIEST_YEAR, 1, 1)
LATEST_DATE = datetime.date(LATEST_YEAR, 12, 31)

# The ranges of the database's whole-number columns (the same on SQLite and PostgreSQL here).
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
# Every amount is below this either way: the narrowest money column (max_digits=14,
# decimal_places=2: deal values, list prices) holds less.
AMOUNT_LIMIT = Decimal(10) ** 12


class InputError(ValueError):
    """A value broke a rule: an English template (gettext_noop) and its values."""

    def __init__(self, code: str, template: str, **params: Any):
        super().__init__(template.format(**params))
        self.code = code
        self.template = template
        self.params = params

    def message(self) -> str:
        """The message in the active language."""
        return gettext(self.template).format(**self.params)


# --- the rules ---------------------------------------------------------------------------


# The control characters (Unicode category Cc) and the surrogates (Cs), as character classes; a
# multi-line text (a note, a description) keeps tab, line feed and carriage return. Every cell of
# an import passes here: a regular expression is 8 × faster than unicodedata per character.
FORBIDDEN_IN_A_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
FORBIDDEN_IN_A_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def forbidden_character(value: str, *, multiline: bool = False) -> str | None:
    """The first character a text may not hold, or None."""
    found = (FORBIDDEN_IN_A_TEXT if multiline else FORBIDDEN_IN_A_LINE).search(value)
    return found.group() if found else None


def check_text(value: str, *, multiline: bool = False) -> str:
    """The text itself, when it holds no control character (nor a lone surrogate)."""
    char = forbidden_character(value, multiline=multiline)
    if char is not None:
        raise InputError(
            "control_character",
            gettext_noop(
                "Contains the control character U+{char}, which is not allowed; remove it."
            ),
            char=f"{ord(char):04X}",
        )
    return value


def check_whole_number(value: int, *, low: int = INTEGER_MIN, high: int = INTEGER_MAX) -> int:
    """The number itself, when its column can hold it."""
    if value < low or value > high:
        raise InputError(
            "out_of_range",
            gettext_noop("Enter a whole number from {low} to {high}."),
            low=low,
            high=high,
        )
    return value


def check_amount(value: Decimal) -> Decimal:
    """A finite amount below AMOUNT_LIMIT either way (no money column holds more)."""
    if not value.is_finite() or abs(value) >= AMOUNT_LIMIT:
        raise InputError(
            "out_of_range",
            gettext_noop("Enter an amount below {limit} either way."),
            limit=int(AMOUNT_LIMIT),
        )
    return value


def check_date(value: datetime.date) -> datetime.date:
    """The day itself (or the date and time), when its year is from EARLIEST_ to LATEST_YEAR.

    A date and time is judged by its day in UTC and in its own offset: both must be in range,
    so that converting it to any time zone stays a valid date."""
    days = [value]
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        offset = value.utcoffset() or datetime.timedelta(0)
        try:
            days.append(value.replace(tzinfo=None) - offset)
        except OverflowError:
            days.append(datetime.date.min)  # beyond what a date holds: out of range
    for day in days:
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise InputError(
                "date_out_of_range",
                gettext_noop("Enter a date from the years {low} to {high}."),
                low=str(EARLIEST_YEAR),  # a year: never grouped as a number
                high=str(LATEST_YEAR),
            )
    return value


# --- for the API's schemas (pydantic) ------------------------------------------------------


def pydantic_error(error: InputError) -> PydanticCustomError:
    """The rule's error as pydantic reports it: its code as the type, the message translated."""
    return PydanticCustomError(error.code, error.message())


def _pydantic(rule, **options):
    def validate(value):
        if value is None:
            return value
        try:
            return rule(value, **options)
        except InputError as error:
            raise pydantic_error(error) from None

    return AfterValidator(validate)


ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _iso_text(pattern: re.Pattern, error_type: str):
    """Only a date written as ISO 8601 (or one already read): pydantic would also take a number
    of seconds since 1970 ("-8e-153" was 1970-01-01), which the schema does not promise."""

    def validate(value):
        if isinstance(value, datetime.date) or value is None:
            return value
        if isinstance(value, str) and pattern.match(value.strip()):
            return value
        # the type names pydantic's own error; the API words it (core/api/errors.py)
        raise PydanticCustomError(error_type, "Enter a valid date in ISO 8601.")

    return BeforeValidator(validate)


def _year(year: int) -> str:
    return f"{year:04d}"


# A text on one line (a name, a code, an e-mail address).
Line = Annotated[str, _pydantic(check_text)]
# A text of several lines (a note, a description): tabs and line breaks are kept.
Text = Annotated[str, _pydantic(check_text, multiline=True)]
# A whole number stored in an IntegerField (ids are only looked up: Django finds no row for one
# beyond its column, and every request's numbers are checked for 64 bits by check_json).
WholeNumber = Annotated[int, Field(ge=INTEGER_MIN, le=INTEGER_MAX)]
# A day and a moment within the years EARLIEST_YEAR–LATEST_YEAR.
Day = Annotated[
    datetime.date,
    _iso_text(ISO_DAY, "date_parsing"),
    _pydantic(check_date),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "description": f"A day from {_year(EARLIEST_YEAR)} to {_year(LATEST_YEAR)}.",
        }
    ),
]
Moment = Annotated[
    datetime.datetime,
    _iso_text(ISO_MOMENT, "datetime_parsing"),
    _pydantic(check_date),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "description": f"A time from {_year(EARLIEST_YEAR)} to {_year(LATEST_YEAR)}.",
        }
    ),
]


def check_json(value: Any, loc: tuple = ()) -> list[tuple[tuple, InputError]]:
    """Every text of a parsed JSON body or query (keys too) that holds a control character
    other than tab and line breaks, and every whole number beyond 64 bits, with where it is.

    The API applies it to every request, so that no endpoint can store what PostgreSQL refuses
    whatever its schema says; the schemas' own types add the narrower rules."""
    found: list[tuple[tuple, InputError]] = []
    if isinstance(value, str):
        try:
            check_text(value, multiline=True)
        except InputError as error:
            found.append((loc, error))
    elif isinstance(value, bool):
        pass
    elif isinstance(value, int):
        try:
            check_whole_number(value, low=BIGINT_MIN, high=BIGINT_MAX)
        except InputError as error:
            found.append((loc, error))
    elif isinstance(value, float):
        if not math.isfinite(value):
            found.append((loc, InputError("out_of_range", gettext_noop("Enter a finite number."))))
    elif isinstance(value, dict):
        for key, item in value.items():
            found.extend(check_json(key, (*loc, key)))
            found.extend(check_json(item, (*loc, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(check_json(item, (*loc, index)))
    return found


# --- for Django forms ----------------------------------------------------------------------


def django_error(error: InputError) -> ValidationError:
    return ValidationError(error.message(), code=error.code)


def _django(rule, **options):
    def validate(value):
        if value in (None, ""):
            return
        try:
            rule(value, **options)
        except InputError as error:
            raise django_error(error) from None

    return validate


validate_line = _django(check_text)
validate_text = _django(check_text, multiline=True)
validate_date = _django(check_date)


def validate_integer(value):
    return _django(check_whole_number)(value)


def validate_bigint(value):
    return _django(check_whole_number, low=BIGINT_MIN, high=BIGINT_MAX)(value)


def guard_form(form: forms.BaseForm) -> None:
    """Adds the rules to every field of a form by its kind: text (multi-line when its widget is
    a text area), dates and times, whole numbers (an IntegerField's range, the narrower of the
    two databases'). Forms call it from __init__ (InputRules)."""
    for name, field in form.fields.items():
        validators = field.validators
        if isinstance(field, forms.DateTimeField):
            _showable(form, name)
        if isinstance(field, forms.CharField):
            multiline = isinstance(field.widget, forms.Textarea)
            validators.append(validate_text if multiline else validate_line)
        elif isinstance(field, forms.DateField | forms.DateTimeField):
            validators.append(validate_date)
        elif isinstance(field, forms.IntegerField) and not isinstance(
            field, forms.DecimalField | forms.FloatField
        ):
            validators.append(validate_integer)


def _showable(form: forms.BaseForm, name: str) -> None:
    """A stored time that no local date can hold (9999-12-31 23:59 UTC is in the year 10000 in
    Berlin, from before these rules) is shown as its UTC time: Django would fail converting it,
    and the date rule above asks for a new one on saving."""
    value = form.initial.get(name)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        try:
            timezone.localtime(value)
        except OverflowError:
            form.initial[name] = timezone.make_naive(value, datetime.UTC)


class InputRules:
    """A form mixin: the fields of the form follow the rules of this module (guard_form)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_form(self)  # type: ignore[arg-type]  # mixed into a Form


def query_problems(params) -> list[tuple[str, InputError]]:
    """The query parameters (a QueryDict) whose names or values break the text rule: a query
    string is one line."""
    found = []
    for key, values in params.lists():
        for text in (key, *values):
            try:
                check_text(text)
            except InputError as error:
                found.append((key, error))
                break
    return found
