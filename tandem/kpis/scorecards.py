"""Rep scorecards against their team: which reps are well below or above, and why.

A rep is flagged on a KPI when it is below half or above one and a half times their team's
value for the same period (for the sales cycle, where shorter is better, the other way round).
Only KPIs both sides have are compared, and only for reps with at least MIN_CLOSED closed deals
in the period (fewer say little).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LOW, HIGH = 0.5, 1.5
MIN_CLOSED = 3

# (key, label, higher is better)
COMPARED = [
    ("attainment", _("attainment"), True),
    ("win_rate", _("win rate"), True),
    ("avg_deal_size", _("average deal size"), True),
    ("sales_cycle_days", _("sales cycle"), False),
]


def flag_against_team(reps: list[dict], teams: list[dict]) -> list[dict]:
    """Adds `flags` to each rep row: [{"key", "label", "value", "team_value", "better"}]."""
    by_team = {row["key"]: row for row in teams}
    for rep in reps:
        rep["flags"] = []
        team = by_team.get(rep["obj"].team_id) if rep.get("obj") else None
        if team is None or rep["deals_won"] + rep["deals_lost"] < MIN_CLOSED:
            continue
        for key, label, higher_is_better in COMPARED:
            mine, theirs = rep[key], team[key]
            if mine is None or not theirs:
                continue
            ratio = float(mine) / float(theirs)
            if LOW <= ratio <= HIGH:
                continue
            better = (ratio > HIGH) == higher_is_better
            rep["flags"].append(
                {"key": key, "label": label, "value": mine, "team_value": theirs, "better": better}
            )
    return reps
