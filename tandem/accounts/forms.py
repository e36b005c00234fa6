from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import BuyingRole, Contact, HierarchyLevel
from tandem.core.lists import keep_version

STRENGTH_CHOICES = [
    (1, _("1 – no relationship yet")),
    (2, _("2 – first contact")),
    (3, _("3 – working relationship")),
    (4, _("4 – good relationship")),
    (5, _("5 – trusted advisor")),
]


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
        keep_version(self)

    def _post_clean(self):
        # The service validates the row; the form only checks the input.
        pass
