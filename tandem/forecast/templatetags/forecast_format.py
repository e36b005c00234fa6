from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value, decimals: int = 0) -> str:
    """0.1398 -> "14 %" (English) / "14 %" (German), grouping as the language wants."""
    if value in (None, ""):
        return "–"
    return f"{number_format(float(value) * 100, int(decimals), use_l10n=True)}\N{NO-BREAK SPACE}%"
