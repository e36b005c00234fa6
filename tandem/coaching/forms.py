from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.validation import InputRules
from tandem.people.models import DevelopmentGoal


class NoteForm(InputRules, forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))
    written_on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    goal = forms.ModelChoiceField(
        label=_("Development goal"), queryset=DevelopmentGoal.objects.none(), required=False
    )

    def __init__(self, *args, rep, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = DevelopmentGoal.objects.filter(person=rep)
