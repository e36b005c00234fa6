"""The import runs' filters and orderings (tandem/core/filters.py): the imports page lists the
runs through them."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.filters import ListFilterSet
from tandem.imports.models import ImportRun, ImportStatus


class ImportRunFilterSet(ListFilterSet):
    """The kinds to pick from are those imported so far (maven, revenue, deals, …)."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ImportStatus.choices, empty_label=_("All statuses")
    )
    kind = django_filters.CharFilter(label=_("Kind"), widget=forms.Select)
    started_after = django_filters.DateFilter(
        label=_("From"),
        field_name="started_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    started_before = django_filters.DateFilter(
        label=_("Until"),
        field_name="started_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    orderings = {
        "started_at": ("started_at",),
        "kind": ("kind", "-started_at"),
        "status": ("status", "-started_at"),
        "id": ("pk",),
    }
    default_ordering = "-started_at"

    descriptions = {
        "kind": "What was imported: maven, revenue, accounts, contacts or deals.",
        "started_after": "Started on or after this day.",
        "started_before": "Started on or before this day.",
    }

    class Meta:
        model = ImportRun
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = self.queryset.order_by("kind").values_list("kind", flat=True).distinct()
        self.filters["kind"].extra["widget"] = forms.Select(
            choices=[("", _("All kinds"))] + [(kind, kind) for kind in kinds]
        )
