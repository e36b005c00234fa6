"""Reads for coaching: whose notes a user sees, the reps a manager coaches, a rep's scorecard.

Coaching notes are between a rep and their manager: a note about a rep is seen by that rep and
by the Sales Manager of the rep's team, nobody else — not other reps, not other managers, and
not the Head of Sales or admins (issue 4: "visible to the rep and their manager only"). The
manager is the team's manager *now*: when a rep changes teams, their new manager sees the notes.

The scorecard reuses tandem.kpis (sales KPIs per rep and team, flag_against_team): a rep is
compared with their team for the same period, the numbers computed in the team's scope (the
team manager's), so a rep sees their own figures and their team's totals, never another rep's.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from tandem.activities.models import Activity
from tandem.coaching.models import CoachingNote
from tandem.core.periods import Period
from tandem.kpis.sales import GroupKpis, KpiScope, ScorecardFlag, labelled
from tandem.kpis.scorecards import flag_against_team
from tandem.people.models import DevelopmentGoal, GoalStatus
from tandem.users.models import User


def coach_of(rep: User) -> User | None:
    """The manager of the rep's team (None when they have no team or lead it themself)."""
    team = rep.team
    if team is None or team.manager_id == rep.pk:
        return None
    return team.manager


def is_coach(user: User, rep: User) -> bool:
    return rep.pk != user.pk and rep.team is not None and rep.team.manager_id == user.pk


def can_see_coaching(user: User, rep: User) -> bool:
    return user.pk == rep.pk or is_coach(user, rep)


def coached_reps(user: User) -> QuerySet[User]:
    """The active members of the teams `user` manages (themself excluded)."""
    return (
        User.objects.filter(team__manager=user, is_active=True)
        .exclude(pk=user.pk)
        .select_related("team")
    )


def get_rep_for(user: User, pk: int) -> User:
    """The rep if `user` may see their coaching page (themself or their manager), else 404."""
    rep = User.objects.select_related("team__manager").filter(pk=pk).first()
    if rep is None or not can_see_coaching(user, rep):
        raise Http404
    return rep


def visible_notes(user: User) -> QuerySet[CoachingNote]:
    """Notes about `user` and about the members of the teams they manage. Seeing everything
    elsewhere does not widen this."""
    return CoachingNote.objects.filter(Q(rep=user) | (Q(rep__team__manager=user) & ~Q(rep=user)))


def notes_about(user: User, rep: User) -> QuerySet[CoachingNote]:
    return (
        visible_notes(user)
        .filter(rep=rep)
        .select_related("author", "goal")
        .order_by("-written_on", "-pk")
    )


def get_note_for(user: User, pk: int) -> CoachingNote:
    note = visible_notes(user).select_related("rep__team", "author", "goal").filter(pk=pk).first()
    if note is None:
        raise Http404
    return note


def goals_of(rep: User) -> QuerySet[DevelopmentGoal]:
    return DevelopmentGoal.objects.filter(person=rep).select_related("competency")


# --- scorecard ----------------------------------------------------------------------------


@dataclass
class Scorecard:
    rep: User
    period: Period
    mine: GroupKpis | None
    team: GroupKpis | None
    activities: int
    team_activities_per_member: float | None

    @property
    def flags(self) -> list[ScorecardFlag]:
        return self.mine.flags if self.mine else []


def _team_scope(rep: User, period: Period) -> KpiScope:
    coach = coach_of(rep)
    if coach is None:
        return KpiScope(rep, period)
    return KpiScope(coach, period, rep.team)


def _moment(day: datetime.date, end: bool = False) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min)
    return moment.replace(tzinfo=datetime.UTC)


def activity_counts(user_ids, period: Period) -> dict[int, int]:
    """Activities logged per owner in the period (one grouped query)."""
    rows = (
        Activity.objects.filter(
            owner_id__in=user_ids,
            occurred_at__gte=_moment(period.start),
            occurred_at__lte=_moment(period.end, end=True),
        )
        .values("owner_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["owner_id"]: row["n"] for row in rows}


def scorecard(rep: User, period: Period) -> Scorecard:
    """The rep's KPIs for the period next to their team's, with the flags of
    tandem.kpis.scorecards, and the activities they logged against the team's average per
    member."""
    scope = _team_scope(rep, period)
    teams = labelled(scope, "team") if scope.team is not None else []
    reps = flag_against_team(labelled(scope, "rep"), teams)
    mine = next((row for row in reps if row.key == rep.pk), None)
    team_row = next((row for row in teams if scope.team and row.key == scope.team.pk), None)
    members = (
        list(
            scope.team.members.filter(is_active=True)
            .exclude(pk=scope.user.pk)
            .values_list("pk", flat=True)
        )
        if scope.team is not None
        else [rep.pk]
    )
    counts = activity_counts(set(members) | {rep.pk}, period)
    per_member = (
        sum(counts.get(pk, 0) for pk in members) / len(members) if scope.team and members else None
    )
    return Scorecard(rep, period, mine, team_row, counts.get(rep.pk, 0), per_member)


@dataclass
class RepLine:
    rep: User
    notes: int
    last_note_on: datetime.date | None
    open_goals: int
    kpis: GroupKpis | None
    team_kpis: GroupKpis | None = None

    @property
    def flags(self) -> list[ScorecardFlag]:
        return self.kpis.flags if self.kpis else []


def coaching_overview(user: User, period: Period) -> list[RepLine]:
    """The reps `user` coaches with their notes, open goals and scorecard flags for `period`."""
    reps = list(coached_reps(user).order_by("team__name", "last_name", "first_name"))
    if not reps:
        return []
    ids = [rep.pk for rep in reps]
    notes: dict[int, Mapping[str, Any]] = {
        row["rep_id"]: row
        for row in CoachingNote.objects.filter(rep_id__in=ids)
        .values("rep_id")
        .annotate(n=Count("pk"), last=Max("written_on"))
        .order_by()
    }
    goals = dict(
        DevelopmentGoal.objects.filter(person_id__in=ids, status=GoalStatus.OPEN)
        .values("person_id")
        .annotate(n=Count("pk"))
        .values_list("person_id", "n")
        .order_by()
    )
    scope = KpiScope(user, period)
    teams = labelled(scope, "team")
    team_kpis = {row.key: row for row in teams}
    kpis = {row.key: row for row in flag_against_team(labelled(scope, "rep"), teams)}
    return [
        RepLine(
            rep,
            notes.get(rep.pk, {}).get("n", 0),
            notes.get(rep.pk, {}).get("last"),
            goals.get(rep.pk, 0),
            kpis.get(rep.pk),
            team_kpis.get(rep.team_id),
        )
        for rep in reps
    ]
