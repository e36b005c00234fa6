"""The quota list's filters and orderings: the quotas page, the API, `tandem quota list` and the
export all filter through these (tandem/core/filters.py)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from tandem.core.filters import ListFilterSet, PeriodFilter
from tandem.quotas.models import Quota, QuotaMetric


class QuotaFilterSet(ListFilterSet):
    """The quotas one sees (visible_quotas). Without a period every quota is listed (the API,
    the command line, the export); the quotas page asks for this year's unless told."""

    period = PeriodFilter(label=_("Period"), start_field="period_start", end_field="period_end")
    metric = django_filters.ChoiceFilter(
        label=_("Metric"), choices=QuotaMetric.choices, empty_label=_("All metrics")
    )

    orderings = {
        "period": ("period_start", "team__name", "user__last_name", "user__username", "metric"),
        "metric": ("metric", "period_start"),
        "target": ("target", "period_start"),
        "id": ("pk",),
    }
    default_ordering = "period"

    descriptions = {
        "period": "Quotas lying inside this period: a quarter (2017Q3), a month (2017-05) or "
        "a year (2017).",
        "metric": "won_value, new_customers or deals_won.",
    }

    class Meta:
        model = Quota
        fields: list[str] = []
