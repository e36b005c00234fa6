"""The product list's filters, orderings and search (the API and the export)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.catalog.models import Product
from tandem.core.filters import ListFilterSet


class ProductFilterSet(ListFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
    )
    series = django_filters.CharFilter(
        label=_("Series"),
        lookup_expr="iexact",
    )

    orderings = {
        "name": ("name",),
        "code": ("code",),
        "series": ("series",),
        "list_price": ("list_price",),
        "id": ("pk",),
    }
    default_ordering = "name"

    descriptions = {
        "q": "Part of the code or name.",
        "series": "The product line / series.",
    }

    class Meta:
        model = Product
        fields: list[str] = []

    def search(self, products, name, value):
        return products.filter(Q(code__icontains=value) | Q(name__icontains=value))
