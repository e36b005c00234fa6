"""The renewal endpoints: upcoming with risk, recording an outcome, rates."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tandem.accounts.models import Contract, ContractStatus
from tandem.audit.models import AuditEvent
from testsupport.builders import make_account, make_contract, make_deal

D = datetime.timedelta


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def kims(org):
    today = timezone.localdate()
    return make_contract(
        make_account(org.kim, name="Kilo"),
        start_on=today - D(days=300),
        end_on=today + D(days=60),
        annual_value=Decimal("80000"),
    )


def test_upcoming_with_risk_in_the_callers_language(org, api, kims):
    page = api("kim").get("/api/renewals/upcoming?within_days=90").json()
    assert (page["count"], page["limit"], page["offset"]) == (1, 50, 0)
    body = page["items"]
    assert [r["contract"] for r in body] == [kims.pk]
    row = body[0]
    assert row["notice_on"] == (kims.end_on - D(days=kims.notice_period_days)).isoformat()
    assert row["score"] == sum(s["weight"] for s in row["signals"])
    assert row["level"] in {"low", "medium", "high"}
    assert "no_decision_maker_contact" in [s["code"] for s in row["signals"]]
    german = api("kim", "de").get("/api/renewals/upcoming").json()["items"]
    assert "Entscheider/in" in " ".join(s["text"] for s in german[0]["signals"])

    def listed(who, query=""):
        return [
            r["contract"] for r in api(who).get(f"/api/renewals/upcoming{query}").json()["items"]
        ]

    assert listed("kim", "?within_days=30") == []
    assert listed("alice") == []
    assert listed("mona") == []
    assert listed("hanna") == [kims.pk]
    for bad in ["-1", "3651", "soon"]:
        refused = api("kim").get(f"/api/renewals/upcoming?within_days={bad}")
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"] == ["query", "within_days"]
    assert listed("kim", "?within_days=3650") == [kims.pk]
    # alice owns no active contract hanna sees: not an owner to filter by
    refused = api("hanna").get(f"/api/renewals/upcoming?owner={org.alice.pk}")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "owner"]
    assert listed("hanna", f"?owner={org.kim.pk}") == [kims.pk]


def test_record_outcome(org, api, kims):
    url = f"/api/renewals/contracts/{kims.pk}/outcome"
    refused = post(api("kim"), url, {"outcome": "expanded", "new_annual_value": "70000"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "new_annual_value"]
    german = post(api("kim", "de"), url, {"outcome": "churned"})
    assert german.status_code == 422
    assert german.json()["detail"][0]["loc"] == ["body", "note"]
    assert german.json()["detail"][0]["msg"] != "Say why the customer left."
    bad = post(api("kim"), url, {"outcome": "maybe"})
    assert bad.status_code == 422
    done = post(api("kim"), url, {"outcome": "expanded", "new_annual_value": "90000"})
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["contract"]["status"] == "expanded"
    assert body["successor"]["renewal_of"] == kims.pk
    assert Decimal(body["successor"]["annual_value"]) == Decimal("90000")
    assert AuditEvent.objects.filter(action="contract.expanded").count() == 1
    again = post(api("kim"), url, {"outcome": "renewed"})
    assert again.status_code == 422


def test_churn_has_no_successor(org, api, kims):
    url = f"/api/renewals/contracts/{kims.pk}/outcome"
    body = post(api("otto"), url, {"outcome": "churned", "note": "Insolvent"}).json()
    assert body["successor"] is None
    assert body["contract"]["outcome_note"] == "Insolvent"


def test_outcome_for_a_contract_one_may_not_see_or_decide(org, api, kims):
    url = f"/api/renewals/contracts/{kims.pk}/outcome"
    assert post(api("alice"), url, {"outcome": "renewed"}).status_code == 404
    assert post(api("mona"), url, {"outcome": "renewed"}).status_code == 404
    make_deal(org.alice, kims.account)
    refused = post(api("alice"), url, {"outcome": "renewed"})
    assert refused.status_code == 422
    assert "Only the account's owner" in refused.json()["detail"][0]["msg"]
    kims.refresh_from_db()
    assert kims.status == ContractStatus.ACTIVE
    assert not Contract.objects.filter(renewal_of=kims).exists()


def test_rates(org, api):
    account = make_account(org.kim)
    for status in ["renewed", "reduced", "churned", "active"]:
        make_contract(
            account,
            start_on=datetime.date(2024, 1, 1),
            end_on=datetime.date(2025, 6, 30),
            status=status,
        )
    body = api("hanna").get("/api/renewals/rates?period=2025").json()
    assert body["period"] == "2025"
    assert body["start"] == "2025-01-01"
    (row,) = body["kams"]
    assert row["kam"] == org.kim.pk
    assert (row["due"], row["churned"], row["pending"]) == (4, 1, 1)
    assert row["renewal_rate"] == pytest.approx(2 / 3)
    assert body["total"]["renewal_rate"] == pytest.approx(2 / 3)
    assert api("mona").get("/api/renewals/rates?period=2025").json()["kams"] == []
    assert (
        api("hanna").get("/api/renewals/rates?period=2024").json()["total"]["renewal_rate"] is None
    )
    bad = api("hanna").get("/api/renewals/rates?period=later")
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "period"]
