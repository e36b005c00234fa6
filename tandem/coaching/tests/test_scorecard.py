"""The scorecard on the coaching page reuses tandem.kpis; checked here against plain Python
over the deals."""

from decimal import Decimal

import pytest

from tandem.activities.models import Activity
from tandem.coaching.selectors import coaching_overview, scorecard
from tandem.core.periods import Period
from tandem.pipeline.models import Deal

Q1 = Period.parse("2026Q1")


def plain(deals):
    won = [d for d in deals if d.stage.outcome == "won"]
    lost = [d for d in deals if d.stage.outcome == "lost"]
    won_value = sum((d.value for d in won), Decimal(0))
    return {
        "won_value": won_value,
        "deals_won": len(won),
        "win_rate": len(won) / (len(won) + len(lost)),
        "avg_deal_size": won_value / len(won),
    }


def closed_in_q1(**filters):
    return list(
        Deal.objects.filter(
            closed_on__gte=Q1.start, closed_on__lte=Q1.end, **filters
        ).select_related("stage")
    )


def test_rep_against_team_like_plain_python(org, carl, q1_deals):
    card = scorecard(org.alice, Q1)
    mine, team = plain(closed_in_q1(owner=org.alice)), plain(closed_in_q1(owner__team=org.north))
    for key in ("won_value", "deals_won", "win_rate"):
        assert getattr(card.mine, key) == pytest.approx(mine[key]), key
        assert getattr(card.team, key) == pytest.approx(team[key]), key
    assert card.mine.avg_deal_size == pytest.approx(mine["avg_deal_size"], abs=Decimal("0.01"))
    # bob's win in team South is not part of North
    assert team["won_value"] == Decimal(13000)
    # alice's average deal (1,000) is under half the team's (3,250): flagged, as worse
    ratio = mine["avg_deal_size"] / team["avg_deal_size"]
    assert ratio < Decimal("0.5")
    flags = {flag.key: flag.better for flag in card.flags}
    assert flags.get("avg_deal_size") is False
    # activities: own count and the team's average per member (mona leads, is not a member)
    assert card.activities == Activity.objects.filter(owner=org.alice).count()
    members = [org.alice, carl]
    assert card.team_activities_per_member == pytest.approx(
        Activity.objects.filter(owner__in=members).count() / len(members)
    )


def test_the_rep_sees_the_same_scorecard_as_their_manager(org, carl, q1_deals):
    # the scorecard does not depend on who looks: computed in the team's scope
    assert scorecard(org.alice, Q1).mine.won_value == Decimal(3000)
    assert scorecard(carl, Q1).team.won_value == Decimal(13000)


def test_overview_lists_the_managers_reps_with_their_kpis(org, carl, q1_deals):
    lines = coaching_overview(org.mona, Q1)
    assert [line.rep for line in lines] == sorted([org.alice, carl], key=lambda u: u.last_name)
    by_rep = {line.rep: line for line in lines}
    assert by_rep[carl].kpis.win_rate == pytest.approx(plain(closed_in_q1(owner=carl))["win_rate"])
    assert coaching_overview(org.hanna, Q1) == []
