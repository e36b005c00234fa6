from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.validation import InputRules
from tandem.renewals.selectors import OUTCOMES
from tandem.renewals.services import NOTE_MAX_LENGTH


class OutcomeForm(InputRules, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(o.value, o.label) for o in OUTCOMES],
        widget=forms.RadioSelect,
    )
    new_annual_value = forms.DecimalField(
        label=_("New annual value"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("Required for expanded and reduced; a renewal keeps today’s value."),
    )
    new_end_on = forms.DateField(
        label=_("New end"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the new term is as long as the current one."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the customer decided so; required when they leave."),
    )
