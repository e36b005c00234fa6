"""Forms of the deal pages: the list's filters, creating and editing deals, moving and fixing them.

Choices always come from the visibility selectors, so a user can only pick what they may see.
"""

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Account
from tandem.accounts.selectors import visible_accounts
from tandem.catalog.selectors import visible_products
from tandem.core.lists import keep_version
from tandem.pipeline.models import Channel, Deal, Stage, StageOutcome
from tandem.pipeline.selectors import pipeline_stages
from tandem.users.models import Role, User
from tandem.users.selectors import assignable_owners

NOT_VISIBLE = _("This choice does not exist or you may not see it.")
ACCOUNT_NOT_VISIBLE = _("This account does not exist or you may not see it.")
# Up to this many visible accounts a plain select; beyond it a search with suggestions.
ACCOUNT_SELECT_LIMIT = 200


class AccountPickerWidget(forms.Widget):
    """A search box with suggestions (htmx) that fills a hidden account id."""

    template_name = "pipeline/widgets/account_picker.html"

    def __init__(self, accounts: QuerySet[Account], attrs=None):
        super().__init__(attrs)
        self.accounts = accounts

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        account = None
        if value not in (None, "") and str(value).isdigit():
            account = self.accounts.filter(pk=value).first()
        context["widget"]["label"] = account.name if account else ""
        return context

    def value_from_datadict(self, data, files, name):
        return data.get(name)


def use_account_picker(form: forms.Form, name: str = "account") -> None:
    """Swap the account select for the search picker when the user sees many accounts."""
    field = form.fields[name]
    if field.queryset.count() > ACCOUNT_SELECT_LIMIT:
        field.widget = AccountPickerWidget(field.queryset)


def check_account_picked(form: forms.Form, name: str = "account") -> None:
    """Typed into the picker but chose no suggestion: say so instead of saving no account."""
    if not isinstance(form.fields[name].widget, AccountPickerWidget):
        return
    typed = (form.data.get(f"{name}_search") or "").strip()
    if typed and not form.data.get(name) and name not in form.errors:
        form.add_error(name, _("Choose the account from the suggestions."))


class StageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


def is_manager(user: User) -> bool:
    return user.sees_everything or user.role in {Role.SALES_MANAGER, Role.KEY_ACCOUNT_MANAGER}


class DealForm(forms.ModelForm):
    """Create or edit a deal. A stage change goes through the service, like a move on the board."""

    stage = StageChoiceField(label=_("Stage"), queryset=Stage.objects.none(), empty_label=None)
    channel = StageChoiceField(
        label=_("Sales channel"), queryset=Channel.objects.none(), required=False
    )

    class Meta:
        model = Deal
        fields = [
            "name",
            "account",
            "product",
            "value",
            "owner",
            "stage",
            "channel",
            "deal_type",
            "engaged_on",
            "expected_close_on",
            "lost_reason",
        ]
        widgets = {
            "engaged_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "expected_close_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "value": forms.NumberInput(attrs={"step": "0.01"}),
        }
        help_texts = {"account": ""}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        deal = self.instance
        accounts = visible_accounts(user)
        if deal.account_id:
            accounts = accounts | Account.objects.filter(pk=deal.account_id)
        self.fields["account"].queryset = accounts.order_by("name")
        products = visible_products(user).filter(Q(is_active=True) | Q(pk=deal.product_id or 0))
        self.fields["product"].queryset = products
        owners = assignable_owners(user)
        if deal.owner_id:
            owners = owners | User.objects.filter(pk=deal.owner_id)
        self.fields["owner"].queryset = owners.distinct()
        self.fields["owner"].initial = deal.owner_id or user.pk
        stages = pipeline_stages()
        if deal.pk is None:
            # New deals start in an open stage; closing them is a move like any other.
            stages = stages.filter(outcome=StageOutcome.OPEN)
            del self.fields["lost_reason"]
        self.fields["stage"].queryset = stages
        self.fields["channel"].queryset = Channel.objects.all()
        for name in ("account", "product", "owner", "stage", "channel"):
            self.fields[name].error_messages["invalid_choice"] = NOT_VISIBLE
        self.fields["account"].error_messages["invalid_choice"] = ACCOUNT_NOT_VISIBLE
        use_account_picker(self)
        self.fields["product"].error_messages["invalid_choice"] = _(
            "This product does not exist or you may not see it."
        )
        if "lost_reason" in self.fields:
            self.fields["lost_reason"].help_text = _("Required when the deal is lost.")
        keep_version(self)

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("The value cannot be negative."))
        return value

    def clean(self):
        data = super().clean()
        check_account_picked(self)
        engaged, expected = data.get("engaged_on"), data.get("expected_close_on")
        if engaged and expected and expected < engaged:
            self.add_error(
                "expected_close_on",
                _("The expected close date cannot be before the deal was engaged."),
            )
        closed = self.instance.closed_on if self.instance.pk else None
        if engaged and closed and engaged > closed:
            self.add_error(
                "engaged_on",
                _("The deal closed on {date}; it cannot have been engaged after that.").format(
                    date=closed.isoformat()
                ),
            )
        stage = data.get("stage")
        if (
            stage is not None
            and stage.outcome == StageOutcome.LOST
            and not (data.get("lost_reason") or "").strip()
        ):
            self.add_error("lost_reason", _("Please give a reason why the deal was lost."))
        return data

    def _post_clean(self):
        # The model's constraints speak database; the messages above speak to the user.
        # Skip the model validation when the form already found a problem.
        if not self.errors:
            super()._post_clean()


class DealMoveForm(forms.Form):
    """Move a deal to a stage given by its code (the board's drop, or the small select)."""

    stage = forms.CharField()
    lost_reason = forms.CharField(required=False, max_length=200)

    def clean_stage(self) -> Stage:
        code = self.cleaned_data["stage"]
        stage = Stage.objects.filter(code=code).first()
        if stage is None:
            raise forms.ValidationError(
                _("There is no stage “{code}”.").format(code=code[:50]), code="unknown_stage"
            )
        return stage


class AssignAccountForm(forms.Form):
    account = forms.ModelChoiceField(
        label=_("Account"),
        queryset=Account.objects.none(),
        error_messages={"invalid_choice": ACCOUNT_NOT_VISIBLE},
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = visible_accounts(user).order_by("name")
        use_account_picker(self)

    def clean(self):
        data = super().clean()
        check_account_picked(self)
        return data
