from django import template
from django.utils.formats import number_format
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

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


@register.simple_tag
def team_options(teams, chosen) -> str:
    """The team picker's <option>s, joined in Python: a company may have thousands of teams,
    and a template loop costs milliseconds per hundred."""
    chosen_pk = chosen.pk if chosen else None
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (team["pk"], mark_safe(" selected") if team["pk"] == chosen_pk else "", team["name"])  # noqa: S308
            for team in teams
        ),
    )
