"""The account-plan list's filters and orderings: the plans page, the API and the export all
filter through these (tandem/core/filters.py)."""

from django.utils.translation import gettext_lazy as _

from tandem.accountplans.models import AccountPlan
from tandem.core.filters import IdFilter, ListFilterSet, WholeNumberFilter

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years a plan may be made for (PlanForm)


class AccountPlanFilterSet(ListFilterSet):
    """The plans one sees (visible_plans). Without a year every year's plans are listed (the
    API, the export); the plans page asks for this year's unless told otherwise."""

    year = WholeNumberFilter(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    account = IdFilter(field_name="account_id", label=_("Account"))

    orderings = {
        "account": ("account__name", "-year"),
        "year": ("year", "account__name"),
        "growth_target": ("growth_target_percent", "account__name"),
        "updated_at": ("updated_at",),
        "id": ("pk",),
    }
    default_ordering = "account"
    shown = ("year",)

    descriptions = {
        "year": f"The plan's year, {FIRST_YEAR} to {LAST_YEAR}.",
        "account": "Id of the account.",
    }

    class Meta:
        model = AccountPlan
        fields: list[str] = []
