from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Sector
from tandem.core.validation import InputRules
from tandem.portfolio.selectors import (
    DEFAULT_MONTHS,
    WINDOW_CHOICES,
    Window,
    kam_filter_choices,
    window_ending,
)
from tandem.users.models import Role


class KamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


def month_choices() -> list[tuple[int, str]]:
    """Labels in the reader's language (computed when the form is drawn)."""
    return [(m, gettext("last %(months)s months") % {"months": m}) for m in WINDOW_CHOICES]


class WindowForm(InputRules, forms.Form):
    """The window: a number of months up to a day (default: the last 12 months to today)."""

    months = forms.TypedChoiceField(
        label=_("Window"),
        choices=month_choices,
        coerce=int,
        required=False,
        initial=DEFAULT_MONTHS,
    )
    end = forms.DateField(
        label=_("Up to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def valid_data(self) -> dict:
        """The fields that are valid (a bad sector does not throw away a good window)."""
        self.is_valid()
        return getattr(self, "cleaned_data", {})

    def window(self) -> Window:
        data = self.valid_data()
        end = data.get("end") or timezone.localdate()
        return window_ending(end, data.get("months") or DEFAULT_MONTHS)


class WhitespaceFilterForm(WindowForm):
    """The window and, for those who see several KAMs, KAM and sector."""

    kam = KamChoiceField(
        label=_("Key Account Manager"),
        queryset=None,
        required=False,
        empty_label=_("All KAMs"),
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("All sectors"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kam"].queryset = kam_filter_choices(user)
        if user.role == Role.KEY_ACCOUNT_MANAGER and not user.sees_everything:
            del self.fields["kam"]

    def filters(self) -> dict:
        data = self.valid_data()
        return {"kam": data.get("kam"), "sector": data.get("sector")}
