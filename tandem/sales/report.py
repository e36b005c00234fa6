"""The sales KPI report as plain JSON values, made from the cockpit's figures
(`tandem.sales.cockpit`): what `tandem kpis --format json` prints and `GET /api/kpis/sales`
answers. Keys as in docs/kpis.md."""

from __future__ import annotations

from tandem.kpis.report import plain
from tandem.sales.cockpit import SalesCockpit


def sales_report_json(cockpit: SalesCockpit) -> dict:
    """Company (the user's whole scope), per team and per rep, the funnel, channels, time in
    stage and the stalled deals."""
    scope, company = cockpit.scope, cockpit.company
    report = {
        "period": scope.period.code,
        "period_start": scope.period.start,
        "period_end": scope.period.end,
        "company": {
            **company.figures(),
            "won_value_in_quota": company.won_value_in_quota,
            "won_value_outside_quota": company.won_value_outside_quota,
        },
        "teams": [
            {"team": row.obj.name if row.obj else None, **row.figures()} for row in cockpit.teams
        ],
        "reps": [
            {
                "rep": row.obj.username,
                "name": str(row.obj),
                "team": row.obj.team.name if row.obj.team_id else None,
                **row.figures(),
            }
            for row in cockpit.reps
        ],
        "funnel": [
            {"stage": step.code, "reached": step.reached, "conversion": step.conversion}
            for step in cockpit.funnel
        ],
        "channels": [
            {
                "channel": row.channel.code if row.channel else None,
                **row.figures(),
                "previous_won_value": row.previous_won_value,
                "growth": row.growth,
            }
            for row in cockpit.channels
        ],
        "time_in_stage": [
            {
                "stage": row.stage.code,
                "days": row.days,
                "visits": row.visits,
                "past_days": row.past_days,
                "past_visits": row.past_visits,
                "bottleneck": row.bottleneck,
            }
            for row in cockpit.time_in_stage
        ],
        "stalled_deals": {
            "count": cockpit.stalled_total,
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
                for deal in cockpit.stalled
            ],
        },
    }
    if scope.team is not None:
        report["team"] = scope.team.name
    return plain(report)
