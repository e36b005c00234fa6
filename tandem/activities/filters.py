"""The activity list's filters, orderings and search: the web page, the API and the export all
filter through these (tandem/core/filters.py)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from tandem.accounts.filters import search_box
from tandem.accounts.models import Account
from tandem.accounts.selectors import visible_accounts
from tandem.activities.models import Activity, ActivityKind
from tandem.activities.selectors import search_activities
from tandem.core.filters import ListFilterSet


class ActivityFilterSet(ListFilterSet):
    """The accounts to pick from are those the user sees."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=search_box(_("Subject or notes")),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ActivityKind.choices, empty_label=_("All kinds")
    )
    account = django_filters.ModelChoiceFilter(
        label=_("Account"),
        queryset=Account.objects.none(),
        empty_label=_("All accounts"),
    )
    deal = django_filters.NumberFilter(
        field_name="deal_id",
        label=_("Deal"),
    )
    after = django_filters.DateFilter(
        label=_("From"),
        field_name="occurred_at",
        lookup_expr="date__gte",
    )
    before = django_filters.DateFilter(
        label=_("Until"),
        field_name="occurred_at",
        lookup_expr="date__lte",
    )

    orderings = {
        "occurred_at": ("occurred_at",),
        "kind": ("kind", "-occurred_at"),
        "subject": ("subject",),
        "account": ("account__name", "-occurred_at"),
        "owner": ("owner__last_name", "owner__first_name", "-occurred_at"),
        "id": ("pk",),
    }
    default_ordering = "-occurred_at"
    shown = ("q", "kind", "account")

    descriptions = {
        "q": "Part of the subject or notes.",
        "account": "Id of the account.",
        "deal": "Id of the deal.",
        "after": "On or after this day.",
        "before": "On or before this day.",
    }

    class Meta:
        model = Activity
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["account"].queryset = visible_accounts(self.user).order_by("name")

    def search(self, activities, name, value):
        return search_activities(activities, value)
