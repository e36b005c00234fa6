"""The forecast page reads counts, not rows: its number of queries does not grow with deals;
and it only reads: a forecast is learned by a job, which a person can ask for."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from tandem.forecast.engine import at_start_of
from tandem.forecast.models import ForecastSnapshot
from tandem.forecast.services import learn_for
from tandem.jobs.models import Job, JobStatus
from tandem.kpis import rollup
from tandem.pipeline.models import Stage, StageChange
from tandem.users.models import Team
from tandem.users.services import create_api_token
from testsupport.builders import PASSWORD, make_account, make_deal
from testsupport.jobs import run_queued

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


DAY = datetime.date(2026, 11, 15)


def learn(user, day=DAY, teams=(None,)) -> None:
    """What the job a user's "Learn now" asks for does (tandem/forecast/jobs.py)."""
    for team in teams:
        learn_for(user, "month", day, team)


def client_for(user, language="en") -> Client:
    client = Client(headers={"Accept-Language": language})
    assert client.login(username=user.username, password=PASSWORD)
    return client


def queries_of_page(user):
    """Queries of the page reading the kept forecast, with the KPI rollups already fresh."""
    client = client_for(user)
    rollup.refresh()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/forecast/?as_of=2026-11-15").status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_deals(org):
    account = make_account(org.alice, "Hansa Logistik GmbH")
    add_deals(org.alice, account, 3)
    learn(org.mona, teams=(None, org.north.pk))
    few = queries_of_page(org.mona)
    add_deals(org.alice, account, 40)
    add_deals(org.bob, account, 40)
    learn(org.mona, teams=(None, org.north.pk))
    assert queries_of_page(org.mona) == few


def without_tokens(html: str) -> str:
    return re.sub(r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_day_s_forecast_is_learned_once(org):
    """Learning again finds the day's snapshot still right and leaves it; history written for
    the past afterwards makes the page say so, and the next learning replaces it."""
    account = make_account(org.alice, "Hansa Logistik GmbH")
    add_deals(org.alice, account, 10)
    every = (None, org.north.pk, org.south.pk)
    learn(org.hanna, teams=every)
    kept = ForecastSnapshot.objects.get(scope="all", as_of=DAY)
    with CaptureQueriesContext(connection) as again:
        learn(org.hanna, teams=every)
    assert not [q for q in again.captured_queries if q["sql"].lstrip().startswith("UPDATE")]
    assert ForecastSnapshot.objects.get(scope="all", as_of=DAY).computed_at == kept.computed_at
    client = client_for(org.hanna)
    url = "/forecast/?as_of=2026-11-15"
    first = without_tokens(client.get(url).content.decode())
    assert 'data-state="up-to-date"' in first
    add_deals(org.bob, account, 5)
    rollup.refresh()
    outdated = client.get(url)
    assert 'data-state="older"' in outdated.content.decode()
    assert 'data-action="learn"' in outdated.content.decode()
    assert "history before that day was written since" in outdated.content.decode()
    learn(org.hanna, teams=every)
    third = without_tokens(client.get(url).content.decode())
    assert 'data-state="up-to-date"' in third and third != first


def test_precompute_keeps_the_company_and_every_team(org):
    add_deals(org.alice, make_account(org.alice, "Hansa Logistik GmbH"), 5)
    call_command("forecast", "precompute", "--period", "month", stdout=io.StringIO())
    today = timezone.localdate()
    kept = set(ForecastSnapshot.objects.filter(as_of=today).values_list("scope", flat=True))
    assert kept == {"all"} | {f"team:{pk}" for pk in Team.objects.values_list("pk", flat=True)}
    before = ForecastSnapshot.objects.count()
    page = client_for(org.mona).get("/forecast/")
    assert page.status_code == 200
    # the manager's team was kept; the manager's own "everything I see" is no team: the page
    # says it is not learned, and learns nothing
    assert ForecastSnapshot.objects.count() == before
    html = page.content.decode()
    assert 'data-state="none"' in html and 'data-action="learn"' in html
    assert f'data-scope="{org.north.pk}"' in html and 'data-stat="forecast"' not in html
    client_for(org.mona).post("/forecast/")
    assert ForecastSnapshot.objects.count() == before + 1
    assert 'data-stat="forecast"' in client_for(org.mona).get("/forecast/").content.decode()


def test_nothing_kept_the_page_writes_nothing_and_says_so_then_learns_when_asked(org):
    add_deals(org.alice, make_account(org.alice, "Hansa Logistik GmbH"), 5)
    client = client_for(org.hanna)
    url = "/forecast/?as_of=2026-11-15"
    with CaptureQueriesContext(connection) as queries:
        waiting = client.get(url)
    html = waiting.content.decode()
    assert waiting.status_code == 200
    assert "Not learned yet." in html and 'data-action="learn"' in html
    assert 'id="forecast-chart"' not in html and 'hx-trigger="every 2s"' not in html
    written = [
        q["sql"] for q in queries.captured_queries if "forecast_forecastsnapshot" in q["sql"]
    ]
    assert all(sql.lstrip().upper().startswith("SELECT") for sql in written)
    assert not ForecastSnapshot.objects.exists()

    asked = client.post(url)
    assert asked.status_code == 302 and asked["Location"] == url
    job = Job.objects.get(kind="forecast.learn_for")
    assert job.requested_by == org.hanna and job.status == JobStatus.DONE
    assert job.params == {"user": org.hanna.pk, "kind": "month", "day": "2026-11-15",
                          "teams": [None, org.north.pk, org.south.pk]}  # fmt: skip
    snapshot = ForecastSnapshot.objects.get(scope="all", as_of=DAY)
    when = timezone.localtime(snapshot.computed_at)
    html = client.get(url).content.decode()
    assert 'id="forecast-chart"' in html and 'data-state="up-to-date"' in html
    assert f"Learned {date_format(when, 'j M Y, H:i')}." in html
    assert 'data-action="learn"' not in html
    german = client_for(org.hanna, "de").get(url).content.decode()
    with translation.override("de"):
        assert f"Gelernt am {date_format(when, 'DATETIME_FORMAT')}." in german


def test_an_older_forecast_shows_until_the_day_s_is_learned(org):
    add_deals(org.alice, make_account(org.alice, "Hansa Logistik GmbH"), 5)
    learn(org.hanna, day=datetime.date(2026, 11, 14))
    html = client_for(org.hanna).get("/forecast/?as_of=2026-11-15").content.decode()
    assert 'data-state="older"' in html and 'id="forecast-chart"' in html
    assert "Shown: the forecast as of 14 Nov 2026, learned " in html
    assert "The forecast as of 15 Nov 2026 is not learned yet." in html
    german = client_for(org.hanna, "de").get("/forecast/?as_of=2026-11-15").content.decode()
    assert "Gezeigt: die Prognose zum 14. November 2026, gelernt am " in german


def test_the_page_follows_the_job_until_the_forecast_is_there(org, settings):
    """With a real queue the job waits for a worker: the page polls (reading only) and shows
    how far it has come; once done, it shows the forecast and stops polling."""
    settings.JOBS_RUN_AT_ONCE = False
    add_deals(org.alice, make_account(org.alice, "Hansa Logistik GmbH"), 5)
    client = client_for(org.mona)
    url = "/forecast/?as_of=2026-11-15"
    client.post(url)
    waiting = client.get(url, headers={"HX-Request": "true"})
    html = waiting.content.decode()
    assert 'hx-trigger="every 2s"' in html and 'data-state="learning"' in html
    assert "Waiting for a worker to learn it" in html and 'data-action="learn"' not in html
    assert not ForecastSnapshot.objects.exists()
    client.post(url)  # a second click asks for nothing more
    assert Job.objects.filter(kind="forecast.learn_for").count() == 1
    run_queued()
    html = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' not in html and 'data-state="up-to-date"' in html
    assert ForecastSnapshot.objects.filter(as_of=DAY).count() == 2  # her people, team North


def test_the_api_answers_202_until_learned_then_the_forecast_with_when(org, settings):
    settings.JOBS_RUN_AT_ONCE = False
    add_deals(org.alice, make_account(org.alice, "Hansa Logistik GmbH"), 5)
    _token, raw = create_api_token(org.hanna, name="tests", acting_user=org.hanna)
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    nothing = api.get("/api/forecast?as_of=2026-11-15")
    assert nothing.status_code == 202
    assert nothing.json()["status"] == "not_learned" and nothing.json()["job"] is None
    assert not ForecastSnapshot.objects.exists()
    asked = api.post("/api/forecast/learn?as_of=2026-11-15")
    assert asked.status_code == 202 and asked.json()["status"] == "queued"
    job_id = asked.json()["id"]
    assert api.get("/api/forecast?as_of=2026-11-15").json()["job"] == job_id
    run_queued()
    assert api.get(f"/api/jobs/{job_id}").json()["status"] == "done"
    kept = api.get("/api/forecast?as_of=2026-11-15")
    assert kept.status_code == 200
    data = kept.json()
    learned_at = ForecastSnapshot.objects.get(scope="all").computed_at
    assert data["up_to_date"] and data["job"] is None
    assert data["scope"]["learned_as_of"] == "2026-11-15"
    said = datetime.datetime.fromisoformat(data["scope"]["learned_at"])
    assert abs(said - learned_at) < datetime.timedelta(milliseconds=1)  # JSON: to the ms
    assert all(team["up_to_date"] for team in data["teams"])
