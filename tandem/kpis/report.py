"""The sales KPI report as plain JSON values: what `tandem kpis --format json` prints and
`GET /api/kpis/sales` answers (the same function, so both always agree)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from tandem.kpis.bottlenecks import stage_dwell, stalled_deals
from tandem.kpis.sales import KPI_KEYS, KpiScope, by_channel, funnel, sales_report


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


def sales_report_json(scope: KpiScope) -> dict:
    report = sales_report(scope)
    report["funnel"] = [
        {
            "stage": step["code"],
            "reached": step["reached"],
            "conversion": step["conversion"],
        }
        for step in funnel(scope)
    ]
    report["channels"] = [
        {
            "channel": row["channel"].code if row["channel"] else None,
            **{key: row[key] for key in KPI_KEYS},
            "previous_won_value": row["previous_won_value"],
            "growth": row["growth"],
        }
        for row in by_channel(scope)
    ]
    report["time_in_stage"] = [
        {
            "stage": row["stage"].code,
            "days": row["days"],
            "visits": row["visits"],
            "past_days": row["past_days"],
            "past_visits": row["past_visits"],
            "bottleneck": row["bottleneck"],
        }
        for row in stage_dwell(scope)
    ]
    stalled, total = stalled_deals(scope, limit=20)
    report["stalled_deals"] = {
        "count": total,
        "longest_idle": [
            {
                "deal": deal.pk,
                "name": deal.name,
                "owner": deal.owner.username,
                "stage": deal.stage.code,
                "idle_days": deal.idle_days,
                "usual_days": deal.usual_days,
                "value": deal.value,
            }
            for deal in stalled
        ],
    }
    if scope.team is not None:
        report["team"] = scope.team.name
    return plain(report)
