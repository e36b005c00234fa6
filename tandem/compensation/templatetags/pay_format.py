from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def cents(value) -> str:
    """12345.5 → "12,345.50" (German: "12.345,50"); "–" when there is none."""
    if value is None or value == "":
        return "–"
    return number_format(Decimal(value).quantize(Decimal("0.01")), 2, force_grouping=True)


@register.filter
def pct(value, places: int = 1) -> str:
    """A factor as percent: 1.15 → "115.0 %"."""
    if value is None or value == "":
        return "–"
    scaled = (Decimal(str(value)) * 100).quantize(Decimal(1).scaleb(-int(places)), ROUND_HALF_UP)
    return f"{number_format(scaled, int(places))} %"


@register.filter
def kpi(line) -> str:
    """A statement line's KPI value: percent for rates, money for won value, else a count."""
    return _kpi(line, line.kpi_value)


@register.filter
def kpi_target(line) -> str:
    return _kpi(line, line.kpi_target)


def _kpi(line, value) -> str:
    if value is None:
        return "–"
    if line.is_ratio:
        return pct(value)
    if line.metric == "won_value":
        return cents(value)
    return number_format(value, 0, force_grouping=True)
