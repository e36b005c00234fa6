"""The deal list's filters, orderings and search (the board filters through the same set), and
the stage history's: the web, the API and the export all filter through these."""

import django_filters
from django.utils.translation import gettext_lazy as _

from tandem.core.filters import ListFilterSet, ReferenceFilter, YesNoFilter
from tandem.pipeline.forms import NOT_VISIBLE
from tandem.pipeline.models import Channel, Deal, DealType, StageChange, StageOutcome
from tandem.pipeline.selectors import pipeline_stages, search_deals
from tandem.users.models import Team, User
from tandem.users.selectors import visible_teams, visible_users

NOT_VISIBLE_CHOICE = {"invalid_choice": NOT_VISIBLE}


class DealFilterSet(ListFilterSet):
    """Owners and teams to pick from are those of the deals it filters (the visible deals)."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
    )
    stage = ReferenceFilter(
        label=_("Stage"),
        queryset=pipeline_stages(),
        empty_label=_("All stages"),
        error_messages=NOT_VISIBLE_CHOICE,
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Open/won/lost"),
        field_name="stage__outcome",
        choices=StageOutcome.choices,
        empty_label=_("All"),
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"),
        queryset=User.objects.none(),
        empty_label=_("Everyone"),
        error_messages=NOT_VISIBLE_CHOICE,
    )
    team = django_filters.ModelChoiceFilter(
        label=_("Team"),
        field_name="owner__team",
        queryset=Team.objects.none(),
        empty_label=_("All teams"),
        error_messages=NOT_VISIBLE_CHOICE,
    )
    channel = ReferenceFilter(
        label=_("Sales channel"),
        queryset=Channel.objects.all(),
        empty_label=_("All channels"),
        error_messages=NOT_VISIBLE_CHOICE,
    )
    deal_type = django_filters.ChoiceFilter(
        label=_("Type"), choices=DealType.choices, empty_label=_("All types")
    )
    without_account = YesNoFilter(
        label=_("Without account"),
        field_name="account",
        lookup_expr="isnull",
    )
    account = django_filters.NumberFilter(
        field_name="account_id",
        label=_("Account"),
    )
    closed_after = django_filters.DateFilter(
        label=_("Closed since"),
        field_name="closed_on",
        lookup_expr="gte",
    )
    closed_before = django_filters.DateFilter(
        label=_("Closed until"),
        field_name="closed_on",
        lookup_expr="lte",
    )

    orderings = {
        "name": ("name",),
        "account": ("account__name",),
        "owner": ("owner__last_name", "owner__first_name"),
        "stage": ("stage__position",),
        "value": ("value",),
        "expected_close_on": ("expected_close_on",),
        "created_on": ("created_on",),
        "closed_on": ("closed_on",),
        "id": ("pk",),
    }
    default_ordering = "-created_on"
    shown = ("q", "stage", "outcome", "owner", "team", "channel", "deal_type", "without_account")

    descriptions = {
        "q": "Part of the deal's or its account's name.",
        "stage": "Code of the stage.",
        "owner": "Id of the owner.",
        "team": "Id of the owner's team.",
        "channel": "Code of the sales channel.",
        "without_account": "true: only deals without an account (unresolved imports).",
        "account": "Id of the account.",
        "closed_after": "Closed on or after this day.",
        "closed_before": "Closed on or before this day.",
    }

    class Meta:
        model = Deal
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owners = visible_users(self.user).filter(pk__in=self.queryset.values("owner_id"))
        self.filters["owner"].queryset = owners
        self.filters["team"].queryset = visible_teams(self.user).filter(
            pk__in=owners.values("team_id")
        )

    def search(self, deals, name, value):
        return search_deals(deals, value)


class StageChangeFilterSet(ListFilterSet):
    """The stage history of the deals one sees (the export of `stage_changes`)."""

    deal = django_filters.NumberFilter(
        field_name="deal_id",
        label=_("Deal"),
    )
    changed_after = django_filters.DateFilter(
        label=_("Changed since"),
        field_name="changed_at",
        lookup_expr="date__gte",
    )
    changed_before = django_filters.DateFilter(
        label=_("Changed until"),
        field_name="changed_at",
        lookup_expr="date__lte",
    )

    orderings = {"changed_at": ("changed_at",), "id": ("pk",)}
    default_ordering = "changed_at"

    descriptions = {
        "deal": "Id of the deal.",
        "changed_after": "Changed on or after this day.",
        "changed_before": "Changed on or before this day.",
    }

    class Meta:
        model = StageChange
        fields: list[str] = []
