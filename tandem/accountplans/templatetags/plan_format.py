"""Money on the QBR pages and PDF: whole amounts, rounded half up, in the reader's notation."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

from tandem.core.formatting import currency_symbol

register = template.Library()


@register.filter
def whole_money(value) -> str:
    """5870.75 -> "5,871 €" in English, "5.871 €" in German."""
    if value in (None, ""):
        return ""
    amount = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    text = number_format(amount, 0, use_l10n=True, force_grouping=True)
    return f"{text}\N{NO-BREAK SPACE}{currency_symbol()}"
