"""The account and contact lists' filters, orderings and search: the web page, the API and the
export all filter through these (tandem/core/filters.py)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Account, BuyingRole, Contact, HierarchyLevel, Sector, Tier
from tandem.accounts.selectors import search_accounts, search_contacts
from tandem.core.filters import ListFilterSet, ReferenceFilter
from tandem.users.models import User


def search_box(placeholder) -> forms.TextInput:
    return forms.TextInput(
        attrs={"type": "search", "placeholder": placeholder, "autocomplete": "off"}
    )


class AccountFilterSet(ListFilterSet):
    """Choices come from the accounts the user sees: their sectors, owners and countries."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=search_box(_("Name, city or country")),
    )
    tier = django_filters.ChoiceFilter(
        label=_("Tier"), choices=Tier.choices, empty_label=_("All tiers")
    )
    sector = ReferenceFilter(
        label=_("Sector"),
        queryset=Sector.objects.none(),
        empty_label=_("All sectors"),
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"),
        queryset=User.objects.none(),
        empty_label=_("All owners"),
    )
    country = django_filters.CharFilter(
        label=_("Country"), lookup_expr="iexact", widget=forms.Select
    )
    strategic = django_filters.ChoiceFilter(
        label=_("Strategic"),
        choices=[("yes", _("Strategic only")), ("no", _("Not strategic"))],
        empty_label=_("All"),
        method="filter_strategic",
    )
    parent = django_filters.NumberFilter(
        field_name="parent_id",
        label=_("Parent company"),
    )

    orderings = {
        "name": ("name",),
        "city": ("city", "name"),
        "country": ("country", "name"),
        "sector": ("sector__name", "name"),
        "owner": ("owner__last_name", "owner__first_name", "name"),
        "tier": ("tier", "name"),
        "strategic": ("is_strategic", "name"),
        "revenue_potential": ("revenue_potential", "name"),
        "created_at": ("created_at",),
        "id": ("pk",),
    }
    default_ordering = "name"
    shown = ("q", "tier", "sector", "owner", "country", "strategic")

    descriptions = {
        "q": "Part of the name, city or country.",
        "sector": "Code of the sector.",
        "owner": "Id of the owner.",
        "parent": "Id of the parent company.",
    }

    class Meta:
        model = Account
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = self.queryset
        self.filters["sector"].queryset = Sector.objects.filter(
            pk__in=accounts.values("sector_id")
        ).order_by("name")
        self.filters["owner"].queryset = User.objects.filter(pk__in=accounts.values("owner_id"))
        countries = (
            accounts.exclude(country="")
            .order_by("country")
            .values_list("country", flat=True)
            .distinct()
        )
        self.filters["country"].extra["widget"] = forms.Select(
            choices=[("", _("All countries"))] + [(c, c) for c in countries]
        )

    def search(self, accounts, name, value):
        return search_accounts(accounts, value)

    def filter_strategic(self, accounts, name, value):
        return accounts.filter(is_strategic=value == "yes")


class ContactFilterSet(ListFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=search_box(_("Name, e-mail, job title or account")),
    )
    hierarchy_level = django_filters.ChoiceFilter(
        label=_("Hierarchy level"), choices=HierarchyLevel.choices, empty_label=_("All levels")
    )
    buying_role = django_filters.ChoiceFilter(
        label=_("Buying role"), choices=BuyingRole.choices, empty_label=_("All roles")
    )
    account = django_filters.NumberFilter(
        field_name="account_id",
        label=_("Account"),
        widget=forms.HiddenInput,
    )

    orderings = {
        "name": ("last_name", "first_name"),
        "last_name": ("last_name",),
        "first_name": ("first_name",),
        "account": ("account__name", "last_name"),
        "hierarchy_level": ("hierarchy_level", "last_name"),
        "buying_role": ("buying_role", "last_name"),
        "relationship_strength": ("relationship_strength", "last_name"),
        "created_at": ("created_at",),
        "id": ("pk",),
    }
    default_ordering = "name"
    shown = ("q", "hierarchy_level", "buying_role", "account")

    descriptions = {
        "q": "Part of the name, e-mail, job title or account name.",
        "account": "Id of the account.",
    }

    class Meta:
        model = Contact
        fields: list[str] = []

    def search(self, contacts, name, value):
        return search_contacts(contacts, value)
