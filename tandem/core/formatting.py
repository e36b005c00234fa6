"""Numbers in words for the key-account pages: compact money ("1.24 M€") and percentages."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}


def currency_symbol() -> str:
    return SYMBOLS.get(settings.CURRENCY, settings.CURRENCY)


def _number(value: Decimal, places: int) -> str:
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        places = 0
    else:
        # "1.50" reads as "1.5": no trailing zeros
        places = max(0, -rounded.normalize().as_tuple().exponent)
    return number_format(rounded, places, use_l10n=True, force_grouping=True)


def compact_money(value) -> str:
    """1_240_000 -> "1.24 M€" ("1,24 Mio. €" in German); 85_000 -> "85 k€"; 950 -> "950 €"."""
    value = Decimal(value)
    symbol = currency_symbol()
    if abs(value) >= 1_000_000:
        return _("{number} M{currency}").format(
            number=_number(value / 1_000_000, 2), currency=symbol
        )
    if abs(value) >= 10_000:
        return _("{number} k{currency}").format(number=_number(value / 1_000, 1), currency=symbol)
    return f"{_number(value, 0)} {symbol}"


def percent(value) -> str:
    """12.345 -> "12.3 %" ("12,3 %" in German)."""
    return f"{_number(Decimal(value), 1)} %"
