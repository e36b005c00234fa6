"""The number filters (tandem/core/templatetags/numbers.py) in English and German."""

import json
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

NBSP = "\N{NO-BREAK SPACE}"


def render(text: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load numbers %}" + text).render(Context(context))


@pytest.mark.parametrize(
    ("text", "value", "english", "german"),
    [
        ("{{ v|number }}", Decimal("1234567.5"), "1,234,568", "1.234.568"),
        ("{{ v|number:2 }}", 12345.675, "12,345.68", "12.345,68"),
        ("{{ v|number:1 }}", 2.05, "2.1", "2,1"),
        ("{{ v|number:-2 }}", Decimal("1.50"), "1.5", "1,5"),
        ("{{ v|number:-2 }}", 2, "2", "2"),
        ("{{ v|number }}", Decimal("-0.4"), "0", "0"),
        ("{{ v|money }}", Decimal("12345.5"), f"12,346{NBSP}€", f"12.346{NBSP}€"),
        ("{{ v|money:2 }}", 0.5, f"0.50{NBSP}€", f"0,50{NBSP}€"),
        ("{{ v|compact_money }}", 1_240_000, "1.24 M€", "1,24 Mio. €"),
        ("{{ v|compact_money }}", 85_000, "85 k€", "85 Tsd. €"),
        ("{{ v|compact_money }}", 950, "950 €", "950 €"),
        ("{{ v|percent }}", 0.1398, "14 %", "14 %"),
        ("{{ v|percent:1 }}", 0.12345, "12.3 %", "12,3 %"),
        ("{{ v|percent:1 }}", Decimal("1.15"), "115.0 %", "115,0 %"),
        ("{{ v|percent:-1 }}", 0.5, "50 %", "50 %"),
        ("{{ v|percent:-1 }}", 0.8333, "83.3 %", "83,3 %"),
        ("{{ v|percent:2 }}", 12.5, "1,250.00 %", "1.250,00 %"),
        ("{{ v|negate|number }}", Decimal("-1500"), "1,500", "1.500"),
    ],
)
def test_filters_format_in_the_readers_language(text, value, english, german):
    assert render(text, "en", v=value) == english
    assert render(text, "de", v=value) == german


@pytest.mark.parametrize("name", ["number", "money", "compact_money", "percent"])
@pytest.mark.parametrize("value", [None, ""])
def test_a_missing_value_is_a_dash(name, value):
    assert render(f"{{{{ v|{name} }}}}", "de", v=value) == "–"


@override_settings(CURRENCY="USD")
def test_money_names_the_configured_currency():
    assert render("{{ v|money }}", "en", v=5) == f"5{NBSP}$"


def test_chart_data_stays_machine_readable_in_german():
    """Numbers handed to charts (json_script) keep their dot: only the filters localise."""
    html = render(
        '{{ data|json_script:"d" }} {{ share|percent:1 }}',
        "de",
        data={"won": [1234.5, 0.25]},
        share=0.125,
    )
    payload = html.split(">", 1)[1].split("</script>")[0]
    assert json.loads(payload) == {"won": [1234.5, 0.25]}
    assert html.endswith("12,5 %")
