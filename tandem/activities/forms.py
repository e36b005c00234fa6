from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Account
from tandem.activities.models import Activity, ActivityKind
from tandem.core.validation import InputRules

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class ActivityForm(InputRules, forms.ModelForm):
    """Log or edit an activity. Deals and contacts are offered for the chosen account only."""

    occurred_at = forms.DateTimeField(
        label=_("When"),
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        error_messages={
            "required": _("Enter when it happened."),
            "invalid": _("Enter a date and time, for example 2026-03-14 09:30."),
        },
    )

    class Meta:
        model = Activity
        fields = ["account", "deal", "contacts", "kind", "subject", "occurred_at", "notes"]
        widgets = {
            "contacts": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "account": {
                "required": _("Choose the account this activity belongs to."),
                "invalid_choice": _("Choose one of your accounts."),
            },
            "deal": {"invalid_choice": _("Choose a deal of the selected account.")},
            "contacts": {"invalid_choice": _("Choose contacts who work at the selected account.")},
            "kind": {"required": _("Choose what kind of activity this was.")},
            "subject": {"required": _("Enter a short subject.")},
        }

    def __init__(self, *args, accounts, deals, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts.order_by("name")
        self.fields["account"].empty_label = _("Choose an account")
        self.fields["kind"].choices = [("", _("Choose a kind")), *ActivityKind.choices]
        account_id = self.chosen_account_id()
        self.fields["deal"].queryset = deals.filter(account_id=account_id).order_by("name")
        self.fields["deal"].empty_label = _("No deal")
        self.fields["deal"].help_text = _("Optional: a deal of the selected account.")
        self.fields["contacts"].queryset = contacts.filter(account_id=account_id)
        self.fields["contacts"].help_text = (
            _("The people you spoke to at the selected account.")
            if account_id
            else _("Choose an account first to see its contacts and deals.")
        )

    def chosen_account_id(self) -> int | None:
        """The account the form is about: from the submitted data, the initial data or the row."""
        if self.is_bound:
            value = self.data.get(self.add_prefix("account"))
        else:
            value = self.initial.get("account")
            if isinstance(value, Account):
                value = value.pk
        if value is None and self.instance.pk:
            value = self.instance.account_id
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    def _post_clean(self):
        # The service validates the row and the links; the form only checks the input.
        pass
