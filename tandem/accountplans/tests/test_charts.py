"""The QBR's server-drawn SVG: its labels in the reader's language, its geometry in numbers a
browser and WeasyPrint can read whatever the language (a German decimal comma once broke it)."""

import re
from decimal import Decimal

from django.utils import translation

from tandem.accountplans.charts import revenue_svg

TREND = [
    {"period": "2026Q1", "label": "Q1 2026", "total": Decimal("1240000.5")},
    {"period": "2026Q2", "label": "Q2 2026", "total": Decimal("85000.25")},
]


def test_the_svg_stays_machine_readable_in_german():
    with translation.override("de"):
        svg = str(revenue_svg(TREND))
    geometry = re.findall(r'\s(?:x|y|x1|y1|x2|y2|width|height)="([^"]*)"', svg)
    assert geometry and all(float(value) >= 0 for value in geometry)  # no decimal comma
    assert re.findall(r'data-total="([^"]*)"', svg) == ["1240000.5", "85000.25"]
    assert "1,24 Mio. €" in svg and "85 Tsd. €" in svg
