"""KPI reports as plain JSON values: the one serialisation of the sales report
(tandem.sales.report) and the KAM report (tandem.kam.report)."""

from __future__ import annotations

import datetime
from decimal import Decimal


def plain(value, ratio_places: int = 4):
    """Decimals become numbers (money rounded to cents), ratios `ratio_places` decimals, dates
    ISO strings."""
    if isinstance(value, Decimal):
        return float(round(value, 2))
    if isinstance(value, float):
        return round(value, ratio_places)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v, ratio_places) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v, ratio_places) for v in value]
    return value
