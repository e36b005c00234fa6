"""The charts' number formatting (TandemCharts.format in core/charts.js) writes what the
templates' filters write (tandem.core.formatting), in English and German."""

import json

import pytest
from django.conf import settings
from django.utils import translation

from tandem.core import formatting

pytestmark = pytest.mark.browser

UNITS = {"million": "{number} M{currency}", "thousand": "{number} k{currency}"}


@pytest.mark.parametrize("language", ["en", "de"])
def test_charts_format_numbers_as_the_filters_do(page, live_server, language):
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.goto("/login/")
    assert page.locator("html").get_attribute("lang") == language
    with translation.override(language):
        units = {
            "currency": formatting.currency_symbol(),
            **{key: translation.gettext(pattern) for key, pattern in UNITS.items()},
        }
        cases = [
            ("number", [1234567.5, 0], formatting.number(1234567.5)),
            ("number", [12345.675, 2], formatting.number(12345.675, 2)),
            ("number", [1.5, -2], formatting.number(1.5, -2)),
            ("percent", [0.1234, 1], formatting.percent(0.1234, 1)),
            ("percent", [0.5, -1], formatting.percent(0.5, -1)),
            ("money", [5870.75], formatting.number(5870.75)),
            ("compactMoney", [1240000, units], formatting.compact_money(1240000)),
            ("compactMoney", [85000, units], formatting.compact_money(85000)),
            ("compactMoney", [950, units], formatting.compact_money(950)),
        ]
    for name, arguments, expected in cases:
        written = page.evaluate(
            f"(args) => window.TandemCharts.format.{name}(...args)",
            json.loads(json.dumps(arguments)),
        )
        assert written == expected, name
    assert page.evaluate("() => window.TandemCharts.format.percent(null)") == "–"
