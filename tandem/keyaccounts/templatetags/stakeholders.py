"""Stakeholder coverage in words: a gap's code (keyaccounts.selectors.coverage_gaps) as the
sentence that explains it."""

from django import template

from tandem.keyaccounts.selectors import gap_text

register = template.Library()


@register.filter
def gap_texts(codes: list[str]) -> str:
    """The sentences of the gaps, one after the other."""
    return " ".join(gap_text(code) for code in codes)
