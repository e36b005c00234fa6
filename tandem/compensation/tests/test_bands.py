"""Salary bands against plans: the company's size and industry choose the band, a plan with
a level shows where its base pay sits."""

from decimal import Decimal

import pytest

from tandem.audit.models import AuditEvent
from tandem.compensation.defaults import default_bands
from tandem.compensation.models import CompanyProfile, SalaryBand
from tandem.compensation.selectors import band_check, band_for
from tandem.compensation.services import set_company_profile
from tandem.compensation.tests.conftest import curve, plan_for
from tandem.core.errors import DomainError
from testsupport.api import token_client


def test_the_seeded_bands_are_the_defaults(db):
    rows = default_bands()
    assert SalaryBand.objects.count() == len(rows) == 96
    for row in rows:
        assert row["minimum"] <= row["midpoint"] <= row["maximum"]
        assert row["minimum"] % 500 == 0
    # a large software company pays more than a small one in any industry, level by level
    small = band_for("kam", "senior", "small", "any")
    large_software = band_for("kam", "senior", "large", "software")
    assert large_software.midpoint > small.midpoint
    # an industry without its own bands falls back to "any"
    assert band_for("rep", "junior", "medium", "healthcare") == band_for(
        "rep", "junior", "medium", "any"
    )


def test_base_pay_against_the_band_of_the_companys_size_and_industry(org):
    plan = plan_for(org, level="professional")  # base pay 60,000
    check = band_check(plan)
    # medium company, any industry: rep professional 52,000 – 70,000 → 8,000 / 18,000
    assert (check.band.minimum, check.band.maximum) == (Decimal(52000), Decimal(70000))
    assert check.position == (Decimal(60000) - 52000) / (Decimal(70000) - 52000)
    set_company_profile(acting_user=org.otto, company_size="enterprise", industry="software")
    check = band_check(plan)
    assert check.band.company_size == "enterprise" and check.band.industry == "software"
    assert check.below  # 60,000 is below that band's minimum
    assert AuditEvent.objects.filter(action="company_profile.updated").exists()
    assert band_check(plan_for(org, role="kam", name="No level", components=_kam())) is None


def _kam():
    return [{"metric": "renewal_rate", "weight": 100, "kpi_target": "0.9", **curve()}]


def test_only_admins_set_the_company_profile_and_with_known_values(org):
    with pytest.raises(DomainError):
        set_company_profile(acting_user=org.hanna, company_size="large", industry="any")
    with pytest.raises(DomainError) as error:
        set_company_profile(acting_user=org.otto, company_size="huge", industry="any")
    assert error.value.field == "company_size"
    with pytest.raises(DomainError, match="level"):
        plan_for(org, level="principal")


def test_pages_show_the_band(client, org):
    plan = plan_for(org, level="professional")
    client.force_login(org.alice)
    html = client.get("/pay/plans/").content.decode()
    assert "44 % into the Professional band" in html
    german = client.get("/pay/plans/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "44 % im Band Professional" in german
    html = client.get(f"/pay/people/{org.alice.pk}/?period=2026Q1").content.decode()
    assert "data-band-check" in html
    assert client.post("/pay/bands/profile/", {"company_size": "large"}).status_code == 403
    client.force_login(org.otto)
    done = client.post("/pay/bands/profile/", {"company_size": "large", "industry": "software"})
    assert done.status_code == 302
    assert CompanyProfile.current().company_size == "large"
    html = client.get("/pay/bands/").content.decode()
    assert 'value="large" selected' in html
    assert plan.pk


def test_api_profile_and_plan_band(org):
    plan_for(org, level="senior")  # 60,000 against 65,000 – 88,000: below
    body = token_client(org.alice).get("/api/compensation/plans").json()[0]
    assert body["level"] == "senior"
    assert Decimal(body["band"]["position"]) < 0
    assert token_client(org.alice).get("/api/compensation/company-profile").json() == {
        "company_size": "medium",
        "industry": "any",
    }
    payload = {"company_size": "small", "industry": "any"}
    hanna = token_client(org.hanna).put(
        "/api/compensation/company-profile", payload, content_type="application/json"
    )
    assert hanna.status_code == 403
    otto = token_client(org.otto).put(
        "/api/compensation/company-profile", payload, content_type="application/json"
    )
    assert otto.json()["company_size"] == "small"
