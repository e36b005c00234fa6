"""Numbers as people read them, in the active language: the one place that turns numbers into
text. Templates use it through the `numbers` filters (tandem/core/templatetags/numbers.py),
charts through `TandemCharts.format` (core/static/core/charts.js) with the same conventions.

Conventions: rounded half up; thousands grouped ("12,345" / "12.345"); a decimal point or
comma as the language wants; money with the configured currency after a no-break space
("12,346 €"); percentages of a ratio with a space ("12.3 %" / "12,3 %"). Negative `decimals`
mean "at most that many, without trailing zeros" (as Django's floatformat: 0.5 -> "50 %").
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}
NO_BREAK = "\N{NO-BREAK SPACE}"


def currency_symbol() -> str:
    return SYMBOLS.get(settings.CURRENCY, settings.CURRENCY)


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def number(value, decimals: int = 0) -> str:
    """12345.678 -> "12,345.68" with 2 decimals ("12.345,68" in German); see the module."""
    places = abs(int(decimals))
    rounded = _decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if decimals < 0:
        # "1.50" reads as "1.5", "2.0" as "2"
        exponent = rounded.normalize().as_tuple().exponent
        assert isinstance(exponent, int)  # a finite number: quantized above
        places = 0 if rounded == rounded.to_integral_value() else max(0, -exponent)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    return number_format(rounded, places, use_l10n=True, force_grouping=True)


def money(value, decimals: int = 0) -> str:
    """12345.6 -> "12,346 €" ("12.346 €" in German)."""
    return f"{number(value, decimals)}{NO_BREAK}{currency_symbol()}"


def compact_money(value) -> str:
    """1_240_000 -> "1.24 M€" ("1,24 Mio. €" in German); 85_000 -> "85 k€"; 950 -> "950 €"."""
    value = _decimal(value)
    symbol = currency_symbol()
    if abs(value) >= 1_000_000:
        return _("{number} M{currency}").format(
            number=number(value / 1_000_000, -2), currency=symbol
        )
    if abs(value) >= 10_000:
        return _("{number} k{currency}").format(number=number(value / 1_000, -1), currency=symbol)
    return f"{number(value)} {symbol}"


def percent(ratio, decimals: int = 0) -> str:
    """A ratio as a percentage: 0.1234 -> "12 %", with 1 decimal "12.3 %" ("12,3 %")."""
    return f"{number(_decimal(ratio) * 100, decimals)} %"
