from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Sector
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


class WhitespaceFilterForm(forms.Form):
    """The window (months up to a day) and, for those who see several KAMs, KAM and sector."""

    months = forms.TypedChoiceField(
        label=_("Window"),
        choices=[(m, _("last %(months)s months") % {"months": m}) for m in WINDOW_CHOICES],
        coerce=int,
        required=False,
    )
    end = forms.DateField(label=_("Up to"), required=False, localize=True)
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

    def window(self) -> Window:
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or timezone.localdate()
        return window_ending(end, data.get("months") or DEFAULT_MONTHS)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"kam": data.get("kam"), "sector": data.get("sector")}
