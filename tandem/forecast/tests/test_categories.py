"""Forecast categories: the owner sets them, the manager adjusts them, both are recorded, and
the totals per category add up to the deals behind them."""

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client

from tandem.audit.selectors import history_of
from tandem.core.errors import DomainError
from tandem.forecast.engine import period_containing
from tandem.forecast.models import DealForecast
from tandem.forecast.selectors import category_totals, category_totals_by_team, scoped_deals
from tandem.forecast.services import set_forecast_category
from tandem.kpis import rollup
from tandem.users.services import create_api_token
from testsupport.builders import make_account, make_deal

pytestmark = pytest.mark.django_db

PERIOD = period_containing(datetime.date(2026, 12, 10))


@pytest.fixture
def deals(org):
    account = make_account(org.alice, "Hansa Logistik GmbH")
    expected = datetime.date(2026, 12, 15)
    return {
        "big": make_deal(org.alice, account, "proposal", value=Decimal("9000"),
                         expected_close_on=expected),
        "small": make_deal(org.alice, account, "engaging", value=Decimal("1000"),
                           expected_close_on=expected),
        "later": make_deal(org.alice, account, "engaging", value=Decimal("500"),
                           expected_close_on=datetime.date(2027, 2, 1)),
        "won": make_deal(org.alice, account, "won", value=Decimal("700"),
                         expected_close_on=expected),
    }  # fmt: skip


def test_owner_sets_and_manager_adjusts_with_an_audit_row_each(org, deals):
    deal = deals["big"]
    set_forecast_category(deal, "commit", acting_user=org.alice)
    forecast = set_forecast_category(deal, "best_case", acting_user=org.mona)

    assert forecast.rep_category == "commit"
    assert forecast.manager_category == "best_case"
    assert forecast.category == "best_case"
    assert forecast.adjusted_by == org.mona
    actions = [(event.action, event.actor, event.changes) for event in history_of(deal)]
    assert ("deal.forecast_category_set", org.alice, {"rep_category": ["pipeline", "commit"]}) in (
        actions
    )
    assert (
        "deal.forecast_category_adjusted",
        org.mona,
        {"manager_category": ["", "best_case"]},
    ) in actions


def test_setting_the_same_category_again_changes_nothing(org, deals):
    set_forecast_category(deals["big"], "commit", acting_user=org.alice)
    before = len(history_of(deals["big"]))
    set_forecast_category(deals["big"], "commit", acting_user=org.alice)
    assert len(history_of(deals["big"])) == before


def test_others_and_closed_deals_are_refused(org, deals):
    with pytest.raises(DomainError):
        set_forecast_category(deals["big"], "commit", acting_user=org.bob)  # another team
    with pytest.raises(DomainError):
        set_forecast_category(deals["big"], "commit", acting_user=org.sam)  # another manager
    with pytest.raises(DomainError, match="open deal"):
        set_forecast_category(deals["won"], "commit", acting_user=org.alice)
    with pytest.raises(DomainError):
        set_forecast_category(deals["big"], "sure thing", acting_user=org.alice)
    assert not DealForecast.objects.exists()


@pytest.mark.parametrize("from_rollup", [False, True], ids=["deals", "rollup"])
def test_totals_per_category_match_the_deals(org, deals, from_rollup):
    set_forecast_category(deals["big"], "commit", acting_user=org.alice)
    set_forecast_category(deals["big"], "best_case", acting_user=org.mona)
    set_forecast_category(deals["later"], "commit", acting_user=org.alice)

    owners = rollup.owner_filter(org.mona) if from_rollup else None
    totals = category_totals(scoped_deals(org.mona), PERIOD, owners)
    rows = {row["category"]: row for row in totals}
    in_period = [deals["big"], deals["small"]]  # open and expected in December
    for key, category_of in (
        ("rep", lambda d: DealForecast.objects.filter(deal=d).first()),
        ("adjusted", lambda d: DealForecast.objects.filter(deal=d).first()),
    ):
        for category in ("commit", "best_case", "pipeline"):
            members = []
            for deal in in_period:
                forecast = category_of(deal)
                chosen = "pipeline"
                if forecast:
                    chosen = forecast.rep_category if key == "rep" else forecast.category
                if chosen == category:
                    members.append(deal)
            assert rows[category][f"{key}_deals"] == len(members)
            assert rows[category][f"{key}_value"] == float(sum(d.value for d in members))
    assert rows["commit"]["rep_value"] == 9000.0
    assert rows["commit"]["adjusted_value"] == 0.0


def test_totals_of_many_teams_at_once_match_each_team_s(org, deals):
    """The forecast page reads every shown team's categories in one go; each team's equal what
    that team's own scope reads, for the Head of Sales (rollup) and a Key Account Manager."""
    bob_account = make_account(org.bob, "Nordwind AG")
    make_deal(org.bob, bob_account, "proposal", value=Decimal("4000"),
              expected_close_on=datetime.date(2026, 12, 20))  # fmt: skip
    set_forecast_category(deals["big"], "commit", acting_user=org.alice)
    set_forecast_category(deals["small"], "best_case", acting_user=org.alice)
    set_forecast_category(deals["small"], "commit", acting_user=org.mona)
    teams = [org.alice.team, org.bob.team]
    for user in (org.hanna, org.kim):
        by_team = category_totals_by_team(user, PERIOD, teams)
        for team in teams:
            owners = rollup.owner_filter(user, team) if rollup.covers(user) else None
            assert by_team[team.pk] == category_totals(scoped_deals(user, team), PERIOD, owners)
    by_team = category_totals_by_team(org.hanna, PERIOD, teams)
    rows = {row["category"]: row for row in by_team[org.alice.team.pk]}
    assert (rows["commit"]["rep_value"], rows["commit"]["adjusted_value"]) == (9000.0, 10000.0)
    rows = {row["category"]: row for row in by_team[org.bob.team.pk]}
    assert (rows["pipeline"]["rep_deals"], rows["pipeline"]["rep_value"]) == (1, 4000.0)


def test_the_api_sets_a_category(org, deals):
    _token, raw = create_api_token(org.mona, name="tests", acting_user=org.mona)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    response = client.put(
        f"/api/forecast/deals/{deals['small'].pk}/category",
        json.dumps({"category": "commit"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "deal": deals["small"].pk,
        "category": "commit",
        "rep_category": "pipeline",
        "manager_category": "commit",
    }
    response = client.put(
        f"/api/forecast/deals/{deals['won'].pk}/category",
        json.dumps({"category": "commit"}),
        content_type="application/json",
    )
    assert response.status_code == 422
