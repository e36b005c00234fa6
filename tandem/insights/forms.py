from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Sector, Tier
from tandem.accounts.selectors import visible_accounts
from tandem.catalog.models import Product
from tandem.core.validation import InputRules
from tandem.insights.models import PostKind
from tandem.insights.selectors import kinds_written_by

SELECT_SIZE = {"size": 6}


def taggable_accounts(user):
    """The accounts offered as tags: those the user may see; for the Head of Sales and admins,
    who see every account, the key accounts (the list stays short)."""
    accounts = visible_accounts(user)
    if user.sees_everything:
        accounts = accounts.filter(tier=Tier.KEY_ACCOUNT)
    return accounts.order_by("name", "pk")


class PostForm(InputRules, forms.Form):
    """An insight or announcement with its tags; the kinds offered are those the user writes."""

    kind = forms.ChoiceField(label=_("Kind"), choices=PostKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}))
    accounts = forms.ModelMultipleChoiceField(
        label=_("Accounts"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs=SELECT_SIZE),
    )
    products = forms.ModelMultipleChoiceField(
        label=_("Products"),
        queryset=Product.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs=SELECT_SIZE),
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs=SELECT_SIZE),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = kinds_written_by(user)
        self.fields["kind"].choices = [(k, PostKind(k).label) for k in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
            self.fields["kind"].widget = forms.HiddenInput()
        self.fields["accounts"].queryset = taggable_accounts(user)
        self.fields["accounts"].help_text = (
            _("Key accounts.") if user.sees_everything else _("Only accounts you can see.")
        )
        self.fields["sectors"].help_text = _("Leave every tag empty to address the whole side.")
