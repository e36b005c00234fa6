"""The number filters of every page: `{% load numbers %}`, then `value|money`, `|percent:1`, …
Each is `tandem.core.formatting` (see its conventions) and shows "–" for a missing value."""

from django import template

from tandem.core import formatting

register = template.Library()

MISSING = "–"


def _missing(value) -> bool:
    return value is None or value == ""


@register.filter
def number(value, decimals: int = 0) -> str:
    """12345.6 -> "12,346"; `number:1` -> "12,345.6" ("12.345,6" in German)."""
    return MISSING if _missing(value) else formatting.number(value, int(decimals))


@register.filter
def money(value, decimals: int = 0) -> str:
    """12345.6 -> "12,346 €" ("12.346 €" in German)."""
    return MISSING if _missing(value) else formatting.money(value, int(decimals))


@register.filter
def compact_money(value) -> str:
    """1_240_000 -> "1.24 M€" ("1,24 Mio. €" in German)."""
    return MISSING if _missing(value) else formatting.compact_money(value)


@register.filter
def percent(value, decimals: int = 0) -> str:
    """A ratio: 0.4567 -> "46 %", `percent:1` -> "45.7 %" ("45,7 %"), `percent:-1` -> at most
    one decimal ("50 %", "45.7 %")."""
    return MISSING if _missing(value) else formatting.percent(value, int(decimals))


@register.filter
def negate(value):
    """-value (a gap shown as how far ahead)."""
    return None if _missing(value) else -value
