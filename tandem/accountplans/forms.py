import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.accountplans.models import ActionStatus, PlanAction, TeamFunction
from tandem.catalog.models import Product
from tandem.core.validation import InputRules
from tandem.users.models import User


class ReviewDatesField(forms.CharField):
    """Dates separated by commas or new lines, in any format the language accepts
    (2026-03-31, 31.03.2026, 31/03/2026)."""

    widget = forms.Textarea(attrs={"rows": 2})

    def clean(self, value):
        text = super().clean(value) or ""
        day = forms.DateField()
        dates, bad = [], []
        for token in (t.strip() for t in re.split(r"[,;\n]+", text)):
            if not token:
                continue
            try:
                dates.append(day.clean(token))
            except ValidationError:
                bad.append(token)
        if bad:
            raise ValidationError(
                _("Not a date: %(values)s."), params={"values": ", ".join(bad)}, code="invalid"
            )
        return sorted(set(dates))


class PlanForm(InputRules, forms.Form):
    account = forms.ModelChoiceField(queryset=None, label=_("Key account"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    objectives = forms.CharField(label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 4}))
    growth_target_percent = forms.DecimalField(
        label=_("Growth target (%)"),
        max_digits=6,
        decimal_places=1,
        help_text=_("Invoiced revenue of the plan year against the year before."),
    )
    whitespace = forms.ModelMultipleChoiceField(
        queryset=Product.objects.filter(is_active=True).order_by("name"),
        label=_("Whitespace to pursue"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Products the account does not buy yet and the team wants to sell."),
    )
    risks = forms.CharField(
        label=_("Risks"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    review_dates = ReviewDatesField(
        label=_("Review dates"),
        required=False,
        help_text=_("Separated by commas or one per line, e.g. 2026-03-31."),
    )

    def __init__(self, *args, accounts=None, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            del self.fields["account"]
            del self.fields["year"]
            # products no longer sold stay on the plan they were chosen for
            self.fields["whitespace"].queryset = Product.objects.filter(
                Q(is_active=True) | Q(pk__in=plan.whitespace.values("pk"))
            ).order_by("name")
        else:
            self.fields["account"].queryset = accounts


def plan_initial(plan) -> dict:
    return {
        "objectives": plan.objectives,
        "growth_target_percent": plan.growth_target_percent,
        "whitespace": list(plan.whitespace.all()),
        "risks": plan.risks,
        "review_dates": ", ".join(r.review_on.isoformat() for r in plan.reviews.all()),
    }


class ActionForm(InputRules, forms.ModelForm):
    owner = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("last_name", "first_name"),
        label=_("Owner"),
    )

    class Meta:
        model = PlanAction
        fields = ["title", "function", "owner", "due_on", "status", "note"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.TextInput(),
        }


class ActionStatusForm(InputRules, forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices, label=_("Status"))
    note = forms.CharField(label=_("Note"), required=False)


__all__ = ["ActionForm", "ActionStatusForm", "PlanForm", "TeamFunction", "plan_initial"]
