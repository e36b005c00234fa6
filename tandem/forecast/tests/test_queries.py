"""The forecast page reads counts, not rows: its number of queries does not grow with deals."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.forecast.engine import at_start_of
from tandem.forecast.models import ForecastSnapshot
from tandem.kpis import rollup
from tandem.pipeline.models import Stage, StageChange
from tandem.users.models import Team
from testsupport.builders import PASSWORD, make_account, make_deal

pytestmark = pytest.mark.django_db


def add_deals(owner, account, count):
    engaging, won = Stage.objects.get(code="engaging"), Stage.objects.get(code="won")
    for index in range(count):
        start = datetime.date(2026, 1, 1) + datetime.timedelta(days=7 * index % 300)
        deal = make_deal(owner, account, "won", value=Decimal("100"))
        StageChange.objects.create(deal=deal, to_stage=engaging, changed_at=at_start_of(start))
        StageChange.objects.create(
            deal=deal,
            from_stage=engaging,
            to_stage=won,
            changed_at=at_start_of(start + datetime.timedelta(days=20)),
        )


# the request the page sends for its body when the day's forecast is not kept yet
LEARN = {"HX-Request": "true"}


def queries_of_page(user):
    """Queries of a view that learns the model (the history changed since the last view), with
    the KPI rollups already fresh."""
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    rollup.refresh()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/forecast/?as_of=2026-11-15", headers=LEARN).status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_deals(org):
    account = make_account(org.alice, "Hansa Logistik GmbH")
    queries_of_page(org.mona)  # the day's snapshot exists: every view below replaces it
    add_deals(org.alice, account, 3)
    few = queries_of_page(org.mona)
    add_deals(org.alice, account, 40)
    add_deals(org.bob, account, 40)
    assert queries_of_page(org.mona) == few


def without_tokens(html: str) -> str:
    return re.sub(r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_day_s_forecast_is_learned_once(org):
    """The second view reads the kept snapshot: fewer queries, the same numbers; history
    written for the past afterwards makes the next view learn again."""
    account = make_account(org.alice, "Hansa Logistik GmbH")
    add_deals(org.alice, account, 10)
    client = Client()
    assert client.login(username=org.hanna.username, password=PASSWORD)
    url = "/forecast/?as_of=2026-11-15"
    first = without_tokens(client.get(url, headers=LEARN).content.decode())
    assert ForecastSnapshot.objects.filter(scope="all", as_of="2026-11-15").exists()
    with CaptureQueriesContext(connection) as kept:
        second = without_tokens(client.get(url).content.decode())
    assert first == second
    add_deals(org.bob, account, 5)
    rollup.refresh()
    with CaptureQueriesContext(connection) as learned:
        third = without_tokens(client.get(url, headers=LEARN).content.decode())
    assert len(kept) < len(learned) / 2
    assert third != second


def test_precompute_keeps_the_company_and_every_team(org):

    add_deals(org.alice, make_account(org.alice, "Hansa Logistik GmbH"), 5)
    call_command("forecast", "precompute", "--period", "month", stdout=io.StringIO())
    today = timezone.localdate()
    kept = set(ForecastSnapshot.objects.filter(as_of=today).values_list("scope", flat=True))
    assert kept == {"all"} | {f"team:{pk}" for pk in Team.objects.values_list("pk", flat=True)}
    client = Client()
    assert client.login(username=org.mona.username, password=PASSWORD)
    before = ForecastSnapshot.objects.count()
    assert client.get("/forecast/", headers=LEARN).status_code == 200
    # the manager's teams were kept; only the manager's own "everything I see" is learned
    assert ForecastSnapshot.objects.count() == before + 1


def test_the_page_does_not_wait_for_learning(org):
    """Not kept yet: the page comes at once without learning anything and asks for its body;
    that request learns and keeps the day's forecasts, and the next view has them at once."""
    add_deals(org.alice, make_account(org.alice, "Hansa Logistik GmbH"), 5)
    client = Client()
    assert client.login(username=org.hanna.username, password=PASSWORD)
    url = "/forecast/?as_of=2026-11-15"
    waiting = client.get(url)
    html = waiting.content.decode()
    assert waiting.context["waiting"] and 'id="forecast-chart"' not in html
    assert 'hx-get="/forecast/?as_of=2026-11-15"' in html and 'hx-select="#forecast-body"' in html
    assert not ForecastSnapshot.objects.exists()

    body = client.get(url, headers=LEARN)
    assert 'id="forecast-body"' in body.content.decode()
    assert 'id="forecast-chart"' in body.content.decode()
    assert ForecastSnapshot.objects.filter(scope="all", as_of="2026-11-15").exists()
    again = client.get(url)
    assert "waiting" not in again.context and 'id="forecast-chart"' in again.content.decode()
