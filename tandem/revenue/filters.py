"""The invoiced revenue's filters (the export of `revenue`)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from tandem.core.filters import ListFilterSet
from tandem.revenue.models import RevenueLine


class RevenueLineFilterSet(ListFilterSet):
    account = django_filters.NumberFilter(
        field_name="account_id",
        label=_("Account"),
    )
    product = django_filters.CharFilter(
        field_name="product__code",
        label=_("Product"),
    )
    invoiced_after = django_filters.DateFilter(
        label=_("Invoiced since"),
        field_name="invoiced_on",
        lookup_expr="gte",
    )
    invoiced_before = django_filters.DateFilter(
        label=_("Invoiced until"),
        field_name="invoiced_on",
        lookup_expr="lte",
    )

    orderings = {"invoiced_on": ("invoiced_on",), "amount": ("amount",), "id": ("pk",)}
    default_ordering = "invoiced_on"

    descriptions = {
        "account": "Id of the account.",
        "product": "Code of the product.",
        "invoiced_after": "Invoiced on or after this day.",
        "invoiced_before": "Invoiced on or before this day.",
    }

    class Meta:
        model = RevenueLine
        fields: list[str] = []
