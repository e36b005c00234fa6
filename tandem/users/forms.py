from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.users.services import TOKEN_DAYS_DEFAULT, TOKEN_DAYS_MAX


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “reporting script”."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=TOKEN_DAYS_MAX,
        initial=TOKEN_DAYS_DEFAULT,
        required=False,
        help_text=_("After this the token stops working; create a new one then."),
    )

    def clean_days(self) -> int:
        """Left empty: the default lifetime."""
        return self.cleaned_data["days"] or TOKEN_DAYS_DEFAULT
