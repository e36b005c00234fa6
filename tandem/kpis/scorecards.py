"""Rep scorecards against their team: which reps are well below or above, and why.

A rep is flagged on a KPI when it is below half or above one and a half times their team's
value for the same period (for the sales cycle, where shorter is better, the other way round).
Only KPIs both sides have are compared, and only for reps with at least MIN_CLOSED closed deals
in the period (fewer say little); activities are compared for every rep against the team's
activities per sales rep.
"""

from __future__ import annotations

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from tandem.kpis import rollup
from tandem.kpis.models import ActivityMonth
from tandem.kpis.sales import GroupKpis, KpiScope, ScorecardFlag
from tandem.users.models import Role, User

LOW, HIGH = 0.5, 1.5
MIN_CLOSED = 3

# (key, label, higher is better)
COMPARED = [
    ("attainment", _("attainment"), True),
    ("win_rate", _("win rate"), True),
    ("avg_deal_size", _("average deal size"), True),
    ("sales_cycle_days", _("sales cycle"), False),
]


def add_activities(scope: KpiScope, reps: list[GroupKpis], teams: list[GroupKpis]) -> None:
    """Activities in the period: `activities` on each rep row (done by the rep), and on each
    team row `activities_per_rep`: its sales reps' activities divided by its sales reps."""
    team_ids = [row.key for row in teams if row.key is not None]
    owners = rollup.owner_filter(scope.user, scope.team)
    if not reps:  # only these teams' figures are wanted
        owners &= Q(owner__team_id__in=team_ids)
    counts: dict[int | None, int] = dict(
        ActivityMonth.objects.filter(
            owners,
            month__gte=scope.period.start,
            month__lte=scope.period.end,
        )
        .values("owner_id")
        .annotate(n=Sum("activities"))
        .order_by()
        .values_list("owner_id", "n")
    )
    for rep in reps:
        rep.activities = counts.get(rep.key, 0)
    members = User.objects.filter(team_id__in=team_ids, role=Role.SALES_REP, is_active=True)
    per_team: dict = {}
    for pk, team_id in members.values_list("pk", "team_id"):
        done, people = per_team.get(team_id, (0, 0))
        per_team[team_id] = (done + counts.get(pk, 0), people + 1)
    for row in teams:
        done, people = per_team.get(row.key, (0, 0))
        row.activities_per_rep = done / people if people else None


def flag_against_team(reps: list[GroupKpis], teams: list[GroupKpis]) -> list[GroupKpis]:
    """Sets each rep row's `flags` (ScorecardFlag): the KPIs well below or above the team's.

    Activities (when `add_activities` ran) are compared for every rep, however few deals they
    closed: a rep who does little is worth a look before the deals show it."""
    by_team = {row.key: row for row in teams}
    for rep in reps:
        rep.flags = []
        team = by_team.get(rep.obj.team_id) if rep.obj else None
        if team is None:
            continue
        mine, theirs = rep.activities, team.activities_per_rep
        if mine is not None and theirs:
            ratio = mine / theirs
            if not LOW <= ratio <= HIGH:
                rep.flags.append(
                    ScorecardFlag(
                        key="activities",
                        label=_("activities"),
                        value=mine,
                        team_value=theirs,
                        better=ratio > HIGH,
                    )
                )
        if rep.deals_won + rep.deals_lost < MIN_CLOSED:
            continue
        for key, label, higher_is_better in COMPARED:
            mine, theirs = getattr(rep, key), getattr(team, key)
            if mine is None or not theirs:
                continue
            ratio = float(mine) / float(theirs)
            if LOW <= ratio <= HIGH:
                continue
            better = (ratio > HIGH) == higher_is_better
            rep.flags.append(
                ScorecardFlag(key=key, label=label, value=mine, team_value=theirs, better=better)
            )
    return reps
