from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


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
