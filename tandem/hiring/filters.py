"""The position and candidate lists' filters, orderings and search: the web page, the API and
the export all filter through these (tandem/core/filters.py)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from tandem.accounts.filters import search_box
from tandem.core.filters import IdFilter, ListFilterSet, ReferenceFilter
from tandem.hiring.models import Candidate, CandidateStatus, Position, PositionStatus
from tandem.people.models import RoleProfile
from tandem.users.models import Team

EVERY_STATUS = "all"


class PositionFilterSet(ListFilterSet):
    """Without a status every position is listed (the API, the export); the hiring page asks
    for the open ones unless told otherwise. The teams to pick from are those of the positions
    the user sees."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[*PositionStatus.choices, (EVERY_STATUS, _("All"))],
        empty_label=None,
        method="filter_status",
    )
    team = django_filters.ModelChoiceFilter(
        label=_("Team"), queryset=Team.objects.none(), empty_label=_("All teams")
    )
    role = ReferenceFilter(
        label=_("Role"),
        field_name="profile",
        queryset=RoleProfile.objects.all(),
        empty_label=_("All roles"),
    )

    orderings = {
        "status": ("status", "-opened_on", "-pk"),
        "opened_on": ("opened_on",),
        "title": ("title",),
        "id": ("pk",),
    }
    default_ordering = "status"
    shown = ("status",)

    descriptions = {
        "status": "open, filled or closed; all (or none) for every position.",
        "team": "Id of the team.",
        "role": "Code of the role's competency model (rep, kam, …).",
    }

    class Meta:
        model = Position
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["team"].queryset = Team.objects.filter(
            pk__in=self.queryset.values("team_id")
        ).order_by("name")

    def filter_status(self, positions, name, value):
        return positions if value == EVERY_STATUS else positions.filter(status=value)


class CandidateFilterSet(ListFilterSet):
    """The candidates of the positions the user sees (the export of `candidates`)."""

    q = django_filters.CharFilter(
        label=_("Search"),
        field_name="name",
        lookup_expr="icontains",
        widget=search_box(_("Name")),
    )
    position = IdFilter(field_name="position_id", label=_("Position"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CandidateStatus.choices, empty_label=_("All")
    )

    orderings = {
        "name": ("name",),
        "status": ("status", "name"),
        "created_at": ("created_at",),
        "id": ("pk",),
    }
    default_ordering = "name"

    descriptions = {
        "q": "Part of the candidate's name.",
        "position": "Id of the position.",
    }

    class Meta:
        model = Candidate
        fields: list[str] = []
