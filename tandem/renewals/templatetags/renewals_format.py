from decimal import Decimal

from django import template

from tandem.core.formatting import compact_money, percent

register = template.Library()


@register.filter
def rate(value) -> str:
    """A share between 0 and 1 as a percentage ("83.3 %", German "83,3 %"); "–" for none."""
    if value is None:
        return "–"
    return percent(Decimal(str(value)) * 100)


@register.filter
def money(value) -> str:
    if value is None:
        return "–"
    return compact_money(value)
