from django import template

from tandem.core.formatting import compact_money

register = template.Library()


@register.filter
def compact(value) -> str:
    """1_240_000 -> "1.24 M€" (German "1,24 M€"); "–" for nothing."""
    if value is None or value == "":
        return "–"
    return compact_money(value)
