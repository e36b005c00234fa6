from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.validation import InputRules


class ForecastFilterForm(InputRules, forms.Form):
    kind = forms.ChoiceField(
        label=_("Period"),
        choices=[("month", _("Month")), ("quarter", _("Quarter"))],
        required=False,
    )
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Forecast with what was known at the start of this day."),
    )
