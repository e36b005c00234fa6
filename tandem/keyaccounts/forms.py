from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.validation import InputRules
from tandem.keyaccounts.models import KeyAccountRules
from tandem.keyaccounts.selectors import kam_choices

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class KeyAccountRulesForm(InputRules, forms.ModelForm):
    class Meta:
        model = KeyAccountRules
        fields = [
            "won_value_enabled",
            "won_value_threshold",
            "invoiced_revenue_enabled",
            "invoiced_revenue_threshold",
            "potential_enabled",
            "potential_threshold",
            "revenue_share_enabled",
            "revenue_share_percent",
            "strategic_enabled",
            "kam_capacity",
            "handover_overdue_days",
        ]
        # amounts in the reader's format (1000000,50 in German), read back the same way
        localized_fields = [
            "won_value_threshold",
            "invoiced_revenue_threshold",
            "potential_threshold",
            "revenue_share_percent",
        ]


class KamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _("{name} ({held} key accounts)").format(name=obj, held=obj.held)


class HandoverProposeForm(InputRules, forms.Form):
    to_kam = KamChoiceField(queryset=kam_choices(), label=_("Key Account Manager"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_kam"].queryset = kam_choices()


class DossierForm(InputRules, forms.Form):
    """What only people know; all three are needed to submit."""

    customer_needs = forms.CharField(
        label=_("Customer needs"),
        required=False,
        widget=TEXTAREA,
        help_text=_("What the customer wants to achieve and what they expect from us."),
    )
    commitments = forms.CharField(
        label=_("Commitments made"),
        required=False,
        widget=TEXTAREA,
        help_text=_("What we promised: prices, dates, people, services."),
    )
    risks = forms.CharField(
        label=_("Risks"),
        required=False,
        widget=TEXTAREA,
        help_text=_("What could make us lose the customer or a deal."),
    )


class HandoverRejectForm(InputRules, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
