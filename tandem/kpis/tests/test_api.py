"""The KPI and quota endpoints: the same numbers as the CLI, the same rules as the services."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from tandem.quotas.models import Quota
from testsupport.api import token_client
from testsupport.builders import make_account, make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def deals(org):
    for owner, value in [(org.alice, 700), (org.bob, 300)]:
        make_deal(
            owner, make_account(owner), stage_code="won", value=Decimal(value),
            created_on=datetime.date(2026, 7, 1), closed_on=datetime.date(2026, 8, 1),
        )  # fmt: skip
    return org


def test_api_answers_the_same_report_as_the_cli(deals):
    response = token_client(deals.hanna).get("/api/kpis/sales?period=2026Q3")
    assert response.status_code == 200, response.content
    out = StringIO()
    call_command("kpis", "--period", "2026Q3", "--format", "json", "--user", "hanna", stdout=out)
    assert response.json() == json.loads(out.getvalue())
    assert response.json()["company"]["won_value"] == 1000


def test_api_scopes_the_report_to_what_the_caller_sees(deals):
    rep = token_client(deals.alice).get("/api/kpis/sales?period=2026Q3").json()
    assert rep["company"]["won_value"] == 700
    assert [r["rep"] for r in rep["reps"]] == ["alice"]
    manager = token_client(deals.sam).get("/api/kpis/sales?period=2026Q3").json()
    assert manager["company"]["won_value"] == 300
    head = token_client(deals.hanna).get(f"/api/kpis/sales?period=2026Q3&team={deals.south.pk}")
    assert head.json()["company"]["won_value"] == 300


def test_api_refuses_a_period_that_does_not_exist(org):
    response = token_client(org.hanna, "de").get("/api/kpis/sales?period=2026Q7")
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["loc"] == ["query", "period"] and "2026Q7" in problem["msg"]


def test_set_list_and_delete_a_quota_through_the_api(org):
    client = token_client(org.mona)
    body = {"user": org.alice.pk, "metric": "won_value", "period": "2026Q3", "target": "5000"}
    response = client.put("/api/kpis/quotas", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["period"] == "2026Q3" and Decimal(response.json()["target"]) == 5000
    listed = client.get("/api/kpis/quotas?period=2026").json()
    assert (listed["count"], listed["limit"], listed["offset"]) == (1, 50, 0)
    assert [q["id"] for q in listed["items"]] == [response.json()["id"]]
    assert token_client(org.bob).get("/api/kpis/quotas").json()["items"] == []
    deleted = client.delete(f"/api/kpis/quotas/{listed['items'][0]['id']}")
    assert deleted.status_code == 204 and not Quota.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [({"target": "-5"}, "target"), ({"period": "2026-13"}, "period")],
)
def test_api_refuses_bad_quotas_with_the_shared_error_shape(org, change, field):
    body = {"user": org.alice.pk, "metric": "won_value", "period": "2026Q3", "target": "1"}
    response = token_client(org.mona).put(
        "/api/kpis/quotas", {**body, **change}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]


def test_api_refuses_an_overlapping_quota_and_a_rep_setting_one(org):
    client = token_client(org.hanna)
    body = {"team": org.north.pk, "metric": "won_value", "period": "2026Q3", "target": "1"}
    assert client.put("/api/kpis/quotas", body, content_type="application/json").status_code == 200
    overlap = client.put(
        "/api/kpis/quotas", {**body, "period": "2026-09"}, content_type="application/json"
    )
    assert overlap.status_code == 422 and "2026Q3" in overlap.json()["detail"][0]["msg"]
    rep = token_client(org.alice).put(
        "/api/kpis/quotas", {**body, "period": "2027"}, content_type="application/json"
    )
    assert rep.status_code == 403


def test_the_cli_brings_the_rollups_up_to_date_itself_when_no_worker_did(org, settings):
    settings.JOBS_RUN_AT_ONCE = False  # the refresh waits for a worker that never comes
    make_deal(
        org.alice, make_account(org.alice), stage_code="won", value=Decimal(400),
        created_on=datetime.date(2026, 7, 1), closed_on=datetime.date(2026, 8, 1),
    )  # fmt: skip
    out = StringIO()
    call_command("kpis", "--period", "2026Q3", "--format", "json", "--user", "hanna", stdout=out)
    assert json.loads(out.getvalue())["company"]["won_value"] == 400
