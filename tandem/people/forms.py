"""Forms for people pages; the questionnaire's form is built from the stored version."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.validation import InputRules
from tandem.people.models import (
    CareerStep,
    Competency,
    QuestionKind,
    Questionnaire,
    RoleProfile,
)


class RoleFitForm(InputRules, forms.Form):
    """One field per question of `questionnaire`, named by the question's code."""

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for question in questionnaire.questions.all():
            choices = [(option.code, option.label) for option in question.options.all()]
            if question.kind == QuestionKind.SEVERAL:
                field = forms.MultipleChoiceField(
                    label=question.label,
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Choose any that apply."),
                )
            else:
                field = forms.ChoiceField(
                    label=question.label, choices=choices, widget=forms.RadioSelect
                )
            self.fields[question.code] = field

    def answers(self) -> dict:
        return dict(self.cleaned_data)


class AssessmentForm(InputRules, forms.Form):
    """One 1–5 field per competency of the model."""

    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, profile: RoleProfile, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        levels = [(str(n), str(n)) for n in range(1, 6)]
        for expected in profile.expected_levels.select_related("competency").order_by(
            "competency__position"
        ):
            competency = expected.competency
            self.fields[competency.code] = forms.TypedChoiceField(
                label=competency.label,
                choices=levels,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=competency.description_label,
            )
        self.order_fields([name for name in self.fields if name != "note"] + ["note"])

    def levels(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "note"}


class DevelopmentGoalForm(InputRules, forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=200)
    competency = forms.ModelChoiceField(
        label=_("Competency"), queryset=Competency.objects.all(), required=False
    )
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CareerPositionForm(InputRules, forms.Form):
    step = forms.ModelChoiceField(
        label=_("Step"),
        queryset=CareerStep.objects.select_related("ladder").order_by(
            "ladder__position", "position"
        ),
    )
    years_in_sales = forms.DecimalField(
        label=_("Years in sales or account management"), min_value=0, max_digits=4, decimal_places=1
    )
    leadership_years = forms.DecimalField(
        label=_("Years in leadership"), min_value=0, max_digits=4, decimal_places=1, initial=0
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].label_from_instance = lambda step: f"{step.ladder.label}: {step.label}"
