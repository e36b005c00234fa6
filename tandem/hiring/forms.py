from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.validation import InputRules
from tandem.hiring.selectors import hiring_teams, plan_candidates, role_profiles
from tandem.people.models import CareerStep
from tandem.users.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PositionForm(InputRules, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    team = forms.ModelChoiceField(label=_("Team"), queryset=None)
    profile = forms.ModelChoiceField(label=_("Role"), queryset=None)
    step = forms.ModelChoiceField(
        label=_("Level"),
        queryset=CareerStep.objects.select_related("ladder", "profile"),
        required=False,
        help_text=_("A step on a career ladder of the same role; it sets the expected levels."),
    )
    opened_on = forms.DateField(label=_("Opened on"), widget=DATE, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = hiring_teams(user)
        self.fields["profile"].queryset = role_profiles()
        self.fields["step"].label_from_instance = lambda step: f"{step.label} ({step.ladder.label})"


class CandidateForm(InputRules, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


SCORE_CHOICES = [("", "–")] + [(str(n), str(n)) for n in range(1, 6)]


class ScoresForm(InputRules, forms.Form):
    """One score (1–5) and note per competency of the role, for the acting interviewer."""

    def __init__(self, *args, expectations, mine, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for exp in expectations:
            code = exp.competency.code
            existing = mine.get(exp.competency.pk)
            self.fields[f"score_{code}"] = forms.ChoiceField(
                label=exp.competency.label,
                choices=SCORE_CHOICES,
                required=False,
                initial=str(existing.score) if existing else "",
            )
            self.fields[f"note_{code}"] = forms.CharField(
                label=_("Note"), required=False, initial=existing.note if existing else ""
            )
            self.rows.append((exp, self[f"score_{code}"], self[f"note_{code}"]))

    def entries(self) -> list[dict]:
        return [
            {
                "competency": exp.competency,
                "score": self.cleaned_data[f"score_{exp.competency.code}"],
                "note": self.cleaned_data[f"note_{exp.competency.code}"],
            }
            for exp, _score, _note in self.rows
            if self.cleaned_data.get(f"score_{exp.competency.code}")
        ]


class PlanForm(InputRules, forms.Form):
    member = forms.ModelChoiceField(label=_("New member"), queryset=None)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = plan_candidates(user).select_related("team")


class StepForm(InputRules, forms.Form):
    title = forms.CharField(label=_("Step"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.filter(is_active=True))
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
