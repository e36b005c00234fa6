"""One filter set per list: its filters, orderings and search, declared once.

Every list of Tandem (accounts, deals, …) has a `ListFilterSet` (django-filter) in its app's
`filters.py`. The web page renders its form and reads its `qs`; the API's query parameters are
generated from it (`query_schema`); `tandem export ENTITY --filter name=value` and the web's
export buttons filter through it too. So web, API and export cannot filter a list differently.

    filters = DealFilterSet(request.GET, queryset=visible_deals(user), user=user)
    deals, sort = filters.ordered(filters.qs, request.GET.get("sort"))
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.http import QueryDict
from ninja import Field
from pydantic import create_model

from tandem.core.api.errors import InvalidInput, bad_ordering, problem
from tandem.core.api.listing import ListParamsSchema
from tandem.core.errors import DomainError
from tandem.core.periods import Period
from tandem.core.validation import Day, InputRules


class TickBox(forms.CheckboxInput):
    """A checkbox that tells "not ticked" (no value sent) from "false" (sent by the API)."""

    def value_from_datadict(self, data, files, name):
        if name not in data:
            return None
        return forms.NullBooleanField().to_python(
            {"on": "true"}.get(data.get(name), data.get(name))
        )


class YesNoFilter(django_filters.BooleanFilter):
    """true or false filters; left out (an unticked box on the web) does not filter at all."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", TickBox)
        super().__init__(*args, **kwargs)


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number, optionally between `min_value` and `max_value` (a year, a number of
    days); a value outside them is an error, not a narrower or wider list."""

    field_class = forms.IntegerField


class IdFilter(WholeNumberFilter):
    """A row named by its id (an account, a deal): a whole number."""


class PeriodField(forms.CharField):
    """A month (2017-05), a quarter (2017Q3) or a year (2017), cleaned into a Period."""

    def clean(self, value) -> Period | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return Period.parse(text)
        except DomainError as error:
            raise ValidationError(error.message, code="invalid") from None


class PeriodFilter(django_filters.Filter):
    """The rows whose period lies inside the one asked for: `start_field` on or after its first
    day, `end_field` on or before its last."""

    field_class = PeriodField

    def __init__(self, *args, start_field: str, end_field: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.start_field, self.end_field = start_field, end_field

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(
            **{f"{self.start_field}__gte": value.start, f"{self.end_field}__lte": value.end}
        )


class LabelledChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


class ReferenceFilter(django_filters.ModelChoiceFilter):
    """Reference data (stages, channels, sectors) picked by its code, named in the user's
    language."""

    field_class = LabelledChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)


class ListFilterSet(django_filters.FilterSet):
    """The filters of one list, for everyone who sees it.

    A subclass declares its filters (the query parameter is the filter's name) and:
    - `orderings`: sort key -> the fields it orders by (a leading "-" on the key sorts
      descending, a "-" on a field sorts that field the other way; empty values last either
      way; the primary key breaks ties, so pages never overlap); `default_ordering` is used
      when none or an unknown one is asked for;
    - `shown`: the filters the web page's form shows, in order (the others are accepted from
      links, the API and the export, and kept in hidden inputs); None shows every filter;
    - `descriptions`: what a filter's value is, for the API's documentation (English, as the
      rest of the OpenAPI schema), where its label does not say it.

    Choices that depend on who is looking (the owners one may pick, …) are narrowed in
    `__init__` from `self.user`.
    """

    orderings: dict[str, tuple[str, ...]] = {}
    default_ordering = ""
    shown: tuple[str, ...] | None = None
    descriptions: dict[str, str] = {}

    def __init__(self, data=None, queryset=None, *, user=None, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user if user is not None else getattr(request, "user", None)

    def get_form_class(self):
        """The filters' form, with the input rules of tandem/core/validation.py on its fields
        (the web page, the API and the export all read a list's filters through it)."""
        form_class = super().get_form_class()
        return type(form_class.__name__, (InputRules, form_class), {})

    @property
    def qs(self) -> QuerySet:
        """The rows matching every filter; none at all while a filter's value is invalid (the
        errors say which), so a mistyped filter never widens the list silently."""
        if not hasattr(self, "_qs"):
            if self.is_bound and not self.form.is_valid():
                self._qs = self.queryset.none()
            else:
                self._qs = super().qs
        return self._qs

    def ordered(self, queryset: QuerySet, requested: str | None) -> tuple[QuerySet, str]:
        """`queryset` sorted by `requested` (or the default); returns the key really used."""
        key = requested or self.default_ordering
        if key.lstrip("-") not in self.orderings:
            key = self.default_ordering
        descending = key.startswith("-")
        order = []
        for field in self.orderings[key.lstrip("-")]:
            # "-field" inside an ordering runs against the key's direction
            backwards = descending != field.startswith("-")
            column = F(field.lstrip("-"))
            order.append(column.desc(nulls_last=True) if backwards else column.asc(nulls_last=True))
        return queryset.order_by(*order, "-pk" if descending else "pk"), key

    def is_ordering(self, requested: str | None) -> bool:
        if not requested:
            return False
        return requested.lstrip("-") in self.orderings

    @property
    def shown_fields(self) -> list[forms.BoundField]:
        """The form's fields the web page shows, in order."""
        names = self.shown if self.shown is not None else list(self.filters)
        return [self.form[name] for name in names]

    @property
    def hidden_values(self) -> list[tuple[str, str]]:
        """Filters set by a link but not shown on the form: kept when the form is sent."""
        shown = set(self.shown if self.shown is not None else self.filters)
        return [
            (name, self.data.get(name))
            for name in self.filters
            if name not in shown and self.data.get(name) not in (None, "")
        ]

    def problems(self, source: str = "query") -> list[dict]:
        """The form's errors as the API's problems: one per filter, `["query", filter]`."""
        return [
            problem([source, name], message)
            for name, messages in self.form.errors.items()
            for message in messages
        ]


def filter_data(values: Mapping[str, Any]) -> QueryDict:
    """Values the API or the command line parsed (dates, booleans, ids) as form data."""
    data = QueryDict(mutable=True)
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[name] = str(value)
    return data


def _python_type(filter_: django_filters.Filter) -> Any:
    """The type of a filter's value in the API's query parameters."""
    if isinstance(filter_, django_filters.ModelChoiceFilter):
        return str if filter_.extra.get("to_field_name") else int
    if isinstance(filter_, django_filters.ChoiceFilter):
        choices = filter_.extra.get("choices")
        values = [value for value, _label in choices] if isinstance(choices, list | tuple) else []
        return Literal[tuple(values)] if values else str
    if isinstance(filter_, django_filters.BooleanFilter):
        return bool
    if isinstance(filter_, django_filters.DateFilter):
        return Day
    if isinstance(filter_, WholeNumberFilter):
        return int
    if isinstance(filter_, django_filters.NumberFilter):
        return Decimal
    return str


def query_schema(filterset_class: type[ListFilterSet]) -> type[ListParamsSchema]:
    """The API's query parameters of a list: its filters, `limit`, `offset` and `ordering`
    (one of the filter set's orderings, `-` in front for descending)."""
    fields: dict[str, Any] = {}
    for name, filter_ in filterset_class.base_filters.items():
        description = filterset_class.descriptions.get(name) or str(filter_.label or name)
        fields[name] = (_python_type(filter_) | None, Field(None, description=description))
    orderings = ", ".join(sorted(filterset_class.orderings))
    fields["ordering"] = (
        str | None,
        Field(None, description=f"One of {orderings}; prefix it with `-` for descending order."),
    )
    name = filterset_class.__name__.removesuffix("FilterSet") + "QuerySchema"
    return create_model(name, __base__=ListParamsSchema, **fields)


def filtered_for_api(
    filterset_class: type[ListFilterSet], params: ListParamsSchema, queryset: QuerySet, user
) -> tuple[QuerySet, str]:
    """The API's list: filtered and ordered as the query asks, or a 422 naming each bad filter
    or an unknown ordering."""
    values = params.dict(exclude={"limit", "offset", "ordering"})
    filterset = filterset_class(filter_data(values), queryset=queryset, user=user)
    problems = filterset.problems()
    if params.ordering and not filterset.is_ordering(params.ordering):
        problems += bad_ordering(sorted(filterset_class.orderings)).problems
    if problems:
        raise InvalidInput(problems)
    return filterset.ordered(filterset.qs, params.ordering)
