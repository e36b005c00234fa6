from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.validation import InputRules
from tandem.quotas.models import QuotaMetric
from tandem.users.models import Role, Team, User


class QuotaForm(InputRules, forms.Form):
    """Who, what and when; the rules (overlap, negative target, period) are the service's."""

    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none(), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    metric = forms.ChoiceField(label=_("Metric"), choices=QuotaMetric.choices)
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("A quarter (2017Q3), a month (2017-05) or a year (2017)."),
    )
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2)

    def __init__(self, *args, acting_user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if acting_user.sees_everything:
            teams = Team.objects.all()
            people = User.objects.filter(
                is_active=True, role__in=[Role.SALES_REP, Role.SALES_MANAGER]
            )
        else:
            teams = Team.objects.filter(manager=acting_user)
            people = User.objects.filter(is_active=True, team__in=teams)
        self.fields["team"].queryset = teams.order_by("name")
        self.fields["user"].queryset = people.order_by("last_name", "first_name", "username")

    def clean(self):
        data = super().clean()
        if bool(data.get("user")) == bool(data.get("team")):
            raise forms.ValidationError(_("Choose either a person or a team."))
        return data
