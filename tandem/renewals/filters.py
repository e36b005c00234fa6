"""The upcoming renewals' filters and orderings: the renewals page, the API and the export all
filter through these (tandem/core/filters.py)."""

import datetime

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Contract
from tandem.core.filters import ListFilterSet, WholeNumberFilter
from tandem.renewals.selectors import RenewalRisk, renewal_risks, with_risk_scores
from tandem.users.models import User

DEFAULT_HORIZON = 180  # days, when none is asked for
LONGEST_HORIZON = 3650


class RenewalFilterSet(ListFilterSet):
    """Picks from the active contracts one sees (active_contracts): those ending within
    `within_days` from today (180 unless told), ended ones without an outcome included. The
    owners to pick from are those of all these active contracts, whatever the horizon."""

    within_days = WholeNumberFilter(
        label=_("Ending within (days)"),
        min_value=0,
        max_value=LONGEST_HORIZON,
        method="filter_within",
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"),
        field_name="account__owner",
        queryset=User.objects.none(),
        empty_label=_("Everyone"),
    )

    orderings = {
        "end": ("end_on",),
        "score": ("risk_score", "-end_on"),
        "value": ("annual_value", "-end_on"),
        "account": ("account__name", "end_on"),
    }
    default_ordering = "end"

    descriptions = {
        "within_days": f"Contracts ending this many days from today at the latest, 0 to "
        f"{LONGEST_HORIZON} ({DEFAULT_HORIZON} when left out); ended ones without an outcome "
        "are always included.",
        "owner": "Id of the account's owner.",
    }

    class Meta:
        model = Contract
        fields: list[str] = []

    def __init__(self, data=None, *args, today: datetime.date | None = None, **kwargs):
        data = data.copy() if data is not None else {}
        if data.get("within_days") in (None, ""):
            data["within_days"] = str(DEFAULT_HORIZON)
        super().__init__(data, *args, **kwargs)
        self.today = today or timezone.localdate()
        self.filters["owner"].queryset = User.objects.filter(
            pk__in=self.queryset.values("account__owner_id")
        ).order_by("last_name", "first_name", "username")

    def filter_within(self, contracts, name, value):
        return contracts.filter(end_on__lte=self.today + datetime.timedelta(days=value))

    def ordered(
        self, queryset: QuerySet, requested: str | None, risks: list[RenewalRisk] | None = None
    ) -> tuple[QuerySet, str]:
        """As every list; by risk score (computed in Python) through `risks`, the contracts'
        scores when the caller has them already."""
        if self.is_ordering(requested) and (requested or "").lstrip("-") == "score":
            if risks is None:
                risks = renewal_risks(queryset, self.today)
            queryset = with_risk_scores(queryset, risks)
        return super().ordered(queryset, requested)
