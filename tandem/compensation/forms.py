"""Forms of the compensation pages. Curve values are entered in percent (50 = 50 %) and
stored as factors (0.5); the services check every rule."""

from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from tandem.compensation.models import (
    CompanyProfile,
    CompensationPlan,
    Metric,
    SalaryBand,
)
from tandem.core.validation import InputRules
from tandem.users.models import Role, User

HUNDRED = Decimal(100)
PERCENT_FIELDS = ("kpi_target", "threshold", "target", "threshold_payout", "cap")


class PlanForm(InputRules, forms.ModelForm):
    user = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        label=_("Person"),
        help_text=_("Leave empty for a plan that applies to everybody in the role."),
    )
    role = forms.ChoiceField(choices=[("", "—")] + list(Role.choices), required=False)

    class Meta:
        model = CompensationPlan
        fields = [
            "name",
            "role",
            "user",
            "valid_from",
            "valid_to",
            "base_pay",
            "variable_target",
            "currency",
            "level",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        localized_fields = ["base_pay", "variable_target"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].label = _("Role")
        # the services refuse negative pay with their own message
        for name in ("base_pay", "variable_target"):
            self.fields[name].min_value = None
            self.fields[name].validators = []

    def _post_clean(self):
        """No model validation here: the services check the rules (and what the database
        constraints say) with their own messages."""


class ComponentForm(InputRules, forms.Form):
    metric = forms.ChoiceField(
        label=_("KPI"), choices=[("", "—")] + list(Metric.choices), required=False
    )
    weight = forms.DecimalField(label=_("weight (%)"), required=False, localize=True)
    kpi_target = forms.DecimalField(
        label=_("KPI target (%)"),
        required=False,
        localize=True,
        help_text=_("KAM KPIs only: the value that pays 100 %."),
    )
    threshold = forms.DecimalField(label=_("threshold (%)"), initial=50, localize=True)
    target = forms.DecimalField(label=_("target (%)"), initial=100, localize=True)
    threshold_payout = forms.DecimalField(
        label=_("payout at threshold (%)"), initial=25, localize=True
    )
    accelerator = forms.DecimalField(
        label=_("accelerator"),
        initial=Decimal("1.5"),
        localize=True,
        help_text=_("Extra payout per point above target (2 = 2 % per 1 %)."),
    )
    cap = forms.DecimalField(label=_("cap (%)"), initial=200, localize=True)

    def as_component(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("metric"):
            return None
        row = {"metric": data["metric"], "weight": data.get("weight") or Decimal(0)}
        for name in PERCENT_FIELDS:
            value = data.get(name)
            row[name] = None if value is None else value / HUNDRED
        row["accelerator"] = data.get("accelerator")
        return row

    @staticmethod
    def initial_from(component) -> dict:
        initial = {"metric": component.metric, "weight": component.weight.normalize()}
        for name in PERCENT_FIELDS:
            value = getattr(component, name)
            initial[name] = None if value is None else (value * HUNDRED).normalize()
        initial["accelerator"] = component.accelerator.normalize()
        return initial


ComponentFormSet = forms.formset_factory(ComponentForm, extra=0, min_num=1)


class BandForm(InputRules, forms.ModelForm):
    class Meta:
        model = SalaryBand
        fields = ["minimum", "midpoint", "maximum"]
        localized_fields = ["minimum", "midpoint", "maximum"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.min_value = None
            field.validators = []

    def _post_clean(self):
        """No model validation here: the services check the rules (and what the database
        constraints say) with their own messages."""


class WhatIfForm(InputRules, forms.Form):
    deal = forms.ChoiceField(label=_("Close one of the open deals"), required=False)
    amount = forms.DecimalField(
        label=_("or win this amount"), required=False, min_value=0, localize=True
    )

    def __init__(self, *args, deals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deal"].choices = [("", "—")] + [
            (
                str(deal.pk),
                f"{deal.name} · {deal.account or '–'} · "
                f"{number_format(deal.value, 0, force_grouping=True)}",
            )
            for deal in deals
        ]

    def clean(self):
        data = super().clean()
        if not data.get("deal") and data.get("amount") is None:
            raise forms.ValidationError(_("Pick a deal or enter an amount."))
        return data


class CompanyProfileForm(InputRules, forms.ModelForm):
    class Meta:
        model = CompanyProfile
        fields = ["company_size", "industry"]
