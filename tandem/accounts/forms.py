from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import BuyingRole, Contact, HierarchyLevel, Sector, Tier
from tandem.accounts.selectors import search_accounts, search_contacts
from tandem.users.models import User

STRENGTH_CHOICES = [
    (1, _("1 – no relationship yet")),
    (2, _("2 – first contact")),
    (3, _("3 – working relationship")),
    (4, _("4 – good relationship")),
    (5, _("5 – trusted advisor")),
]


class AccountFilterForm(forms.Form):
    """Search and filters of the account list; the choices come from the visible accounts."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name, city or country"),
                "autocomplete": "off",
            }
        ),
    )
    tier = forms.ChoiceField(
        label=_("Tier"), required=False, choices=[("", _("All tiers")), *Tier.choices]
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        required=False,
        queryset=Sector.objects.none(),
        empty_label=_("All sectors"),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), required=False, queryset=User.objects.none(), empty_label=_("All owners")
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    strategic = forms.ChoiceField(
        label=_("Strategic"),
        required=False,
        choices=[("", _("All")), ("yes", _("Strategic only")), ("no", _("Not strategic"))],
    )

    def __init__(self, data, *, accounts):
        super().__init__(data)
        self.fields["sector"].queryset = Sector.objects.filter(
            pk__in=accounts.values("sector_id")
        ).order_by("name")
        self.fields["sector"].label_from_instance = lambda sector: sector.label
        self.fields["owner"].queryset = User.objects.filter(pk__in=accounts.values("owner_id"))
        countries = (
            accounts.exclude(country="")
            .order_by("country")
            .values_list("country", flat=True)
            .distinct()
        )
        self.fields["country"].choices = [("", _("All countries"))] + [(c, c) for c in countries]

    def filter(self, accounts):
        """The accounts matching every valid filter; an invalid value is ignored, not fatal."""
        self.is_valid()
        data = self.cleaned_data
        accounts = search_accounts(accounts, data.get("q") or "")
        if data.get("tier"):
            accounts = accounts.filter(tier=data["tier"])
        if data.get("sector"):
            accounts = accounts.filter(sector=data["sector"])
        if data.get("owner"):
            accounts = accounts.filter(owner=data["owner"])
        if data.get("country"):
            accounts = accounts.filter(country=data["country"])
        if data.get("strategic"):
            accounts = accounts.filter(is_strategic=data["strategic"] == "yes")
        return accounts


class ContactFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name, e-mail, job title or account"),
                "autocomplete": "off",
            }
        ),
    )
    hierarchy_level = forms.ChoiceField(
        label=_("Hierarchy level"),
        required=False,
        choices=[("", _("All levels")), *HierarchyLevel.choices],
    )
    buying_role = forms.ChoiceField(
        label=_("Buying role"), required=False, choices=[("", _("All roles")), *BuyingRole.choices]
    )
    account = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def filter(self, contacts):
        self.is_valid()
        data = self.cleaned_data
        contacts = search_contacts(contacts, data.get("q") or "")
        if data.get("hierarchy_level"):
            contacts = contacts.filter(hierarchy_level=data["hierarchy_level"])
        if data.get("buying_role"):
            contacts = contacts.filter(buying_role=data["buying_role"])
        if data.get("account"):
            contacts = contacts.filter(account_id=data["account"])
        return contacts


class ContactForm(forms.ModelForm):
    """Create or edit a contact; only accounts the user can see are offered."""

    relationship_strength = forms.TypedChoiceField(
        label=_("Relationship strength"),
        choices=STRENGTH_CHOICES,
        coerce=int,
        initial=3,
        help_text=_("How well do we know this person? 1 = not at all, 5 = trusted advisor."),
        error_messages={"invalid_choice": _("Choose a relationship strength from 1 to 5.")},
    )

    class Meta:
        model = Contact
        fields = [
            "account",
            "first_name",
            "last_name",
            "job_title",
            "email",
            "phone",
            "hierarchy_level",
            "buying_role",
            "relationship_strength",
            "is_active",
        ]
        error_messages = {
            "account": {
                "required": _("Choose the account this person works for."),
                "invalid_choice": _("Choose one of your accounts."),
            },
            "first_name": {"required": _("Enter the first name.")},
            "last_name": {"required": _("Enter the last name.")},
            "email": {"invalid": _("Enter an e-mail address like name@company.com.")},
            "hierarchy_level": {"required": _("Choose the person's hierarchy level.")},
            "buying_role": {"required": _("Choose the person's role in buying decisions.")},
        }

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts.order_by("name")
        self.fields["account"].empty_label = _("Choose an account")
        self.fields["hierarchy_level"].choices = [
            ("", _("Choose a level")),
            *HierarchyLevel.choices,
        ]
        self.fields["buying_role"].choices = [("", _("Choose a role")), *BuyingRole.choices]

    def _post_clean(self):
        # The service validates the row; the form only checks the input.
        pass
