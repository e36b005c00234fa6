from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value, digits: int = 0) -> str:
    """0.4567 → "46 %" (in the active language's number format); "–" when there is none."""
    if value is None or value == "":
        return "–"
    return f"{number_format(float(value) * 100, int(digits))} %"


@register.filter
def money(value) -> str:
    if value is None or value == "":
        return "–"
    return number_format(round(float(value)), 0, force_grouping=True)


@register.filter
def days(value) -> str:
    if value is None or value == "":
        return "–"
    return number_format(float(value), 1)


@register.filter
def negate(value):
    return None if value is None or value == "" else -value
