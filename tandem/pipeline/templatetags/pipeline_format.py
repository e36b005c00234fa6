"""Formatting for the deal pages: money in the user's language, with the configured currency."""

from decimal import Decimal

from django import template
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

register = template.Library()

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}


@register.filter
def money(value, decimals: int = 0) -> str:
    """12345.6 -> "12,346 €" in English, "12.346 €" in German."""
    if value in (None, ""):
        return ""
    amount = number_format(Decimal(value), int(decimals), use_l10n=True, force_grouping=True)
    return f"{amount}\N{NO-BREAK SPACE}{SYMBOLS.get(settings.CURRENCY, settings.CURRENCY)}"


AUDIT_ACTIONS = {
    "deal.created": _("Created"),
    "deal.updated": _("Edited"),
    "deal.owner_changed": _("Owner changed"),
    "deal.stage_changed": _("Stage changed"),
    "deal.account_assigned": _("Account assigned"),
}


@register.filter
def audit_action(action: str) -> str:
    return str(AUDIT_ACTIONS.get(action, action))
