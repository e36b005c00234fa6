"""The people list's filters, orderings and search: the web page, the API and the export all
filter through these (tandem/core/filters.py)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from tandem.accounts.filters import search_box
from tandem.core.filters import ListFilterSet
from tandem.people.selectors import search_people
from tandem.users.models import Role, Team, User


class PersonFilterSet(ListFilterSet):
    """The teams to pick from are those of the people the user sees."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=search_box(_("Name or username")),
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Role.choices, empty_label=_("All roles")
    )
    team = django_filters.ModelChoiceFilter(
        label=_("Team"), queryset=Team.objects.none(), empty_label=_("All teams")
    )

    orderings = {
        "name": ("last_name", "first_name", "username"),
        "username": ("username",),
        "role": ("role", "last_name", "first_name"),
        "team": ("team__name", "last_name", "first_name"),
        "id": ("pk",),
    }
    default_ordering = "name"

    descriptions = {
        "q": "Part of the first name, last name or username.",
        "team": "Id of the team.",
    }

    class Meta:
        model = User
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["team"].queryset = Team.objects.filter(
            pk__in=self.queryset.values("team_id")
        ).order_by("name")

    def search(self, people, name, value):
        return search_people(people, value)
