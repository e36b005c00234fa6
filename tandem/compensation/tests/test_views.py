"""The pages: payouts, statement (EN/DE), what-if, plans and bands, and who may open what."""

import datetime
import re
from decimal import Decimal

import pytest

from tandem.compensation.models import CompensationPlan, SalaryBand
from tandem.compensation.tests.conftest import curve, plan_for, quota, won
from tandem.quotas.models import QuotaMetric
from testsupport.builders import make_account, make_deal


@pytest.fixture
def quarter(org):
    plan_for(org)
    quota(org.alice, QuotaMetric.WON_VALUE, "100000")
    quota(org.alice, QuotaMetric.NEW_CUSTOMERS, "4")
    won(org.alice, "115000", datetime.date(2026, 2, 1))
    return org


def get(client, user, url, language="en"):
    client.force_login(user)
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def test_statement_explains_every_figure(client, quarter):
    org = quarter
    html = get(client, org.alice, f"/pay/people/{org.alice.pk}/?period=2026Q1").content.decode()
    # 115 % → 1.3 × 7,000 = 9,100; 1 of 4 new customers = 25 % < 50 % threshold → 0
    assert "9,100.00" in html
    assert "115.0 %" in html and "130.0 %" in html
    assert "below the threshold of 50.0 %" in html
    assert 'id="statement-data"' in html
    assert 'data-action="print"' in html


def test_statement_in_german(client, quarter):
    org = quarter
    html = get(client, org.alice, f"/pay/people/{org.alice.pk}/?period=2026Q1", "de")
    html = html.content.decode()
    assert "Vergütungsabrechnung von Alice Test" in html
    assert "9.100,00" in html
    assert "115,0 %" in html
    assert "unter der Schwelle" in html


@pytest.mark.parametrize(
    ("viewer", "person", "status"),
    [
        ("alice", "alice", 200),
        ("alice", "bob", 404),
        ("mona", "alice", 200),
        ("sam", "alice", 404),
        ("kim", "alice", 404),
        ("hanna", "alice", 200),
        ("otto", "bob", 200),
    ],
)
def test_who_may_open_a_statement(client, quarter, viewer, person, status):
    org = quarter
    url = f"/pay/people/{getattr(org, person).pk}/?period=2026Q1"
    assert get(client, getattr(org, viewer), url).status_code == status
    assert get(client, getattr(org, viewer), url.replace("/?", "/what-if/?")).status_code == status


def test_overview_lists_only_visible_people(client, quarter):
    org = quarter
    html = get(client, org.mona, "/pay/?period=2026Q1").content.decode()
    assert 'data-person="alice"' in html and 'data-person="bob"' not in html
    html = get(client, org.alice, "/pay/?period=2026Q1").content.decode()
    assert 'id="payouts"' not in html
    assert "9,100.00" in html
    html = get(client, org.hanna, "/pay/?period=2026Q1").content.decode()
    assert 'data-person="alice"' in html and 'data-person="bob"' in html


def test_a_bad_period_is_explained(client, quarter):
    response = get(client, quarter.alice, "/pay/?period=2026Q5")
    assert response.status_code == 200
    assert "is not a period" in response.content.decode()


def test_what_if_page_and_fragment(client, quarter):
    org = quarter
    deal = make_deal(org.alice, make_account(org.alice), name="Big one", value=Decimal("20000"))
    url = f"/pay/people/{org.alice.pk}/what-if/?period=2026Q1&deal={deal.pk}"
    client.force_login(org.alice)
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    # 135 % → 1.7 × 7,000 = 11,900; 2 of 4 new customers = 50 % → 0.25 × 3,000 = 750
    assert "“Big one”" in fragment and "12,650.00" in fragment and "9,100.00" in fragment
    assert "<html" not in fragment
    page = client.get(url).content.decode()
    assert "<html" in page and "12,650.00" in page
    empty = client.get(f"/pay/people/{org.alice.pk}/what-if/?period=2026Q1").content.decode()
    assert "Pick a deal or enter an amount." in empty
    # Bob's deal is not Alice's to pick
    other = make_deal(org.bob, make_account(org.bob), value=Decimal("50000"))
    url = f"/pay/people/{org.alice.pk}/what-if/?period=2026Q1&deal={other.pk}"
    assert "data-what-if-error" in client.get(url, HTTP_HX_REQUEST="true").content.decode()


def plan_post(**overrides):
    data = {
        "name": "Reps 2027",
        "role": "rep",
        "user": "",
        "valid_from": "2027-01-01",
        "valid_to": "2027-12-31",
        "base_pay": "60000",
        "variable_target": "40000",
        "currency": "EUR",
        "components-TOTAL_FORMS": "2",
        "components-INITIAL_FORMS": "0",
        "components-MIN_NUM_FORMS": "1",
        "components-MAX_NUM_FORMS": "1000",
    }
    rows = [("won_value", "70"), ("new_customers", "30")]
    for index, (metric, weight) in enumerate(rows):
        data.update(
            {
                f"components-{index}-metric": metric,
                f"components-{index}-weight": weight,
                f"components-{index}-kpi_target": "",
                f"components-{index}-threshold": "50",
                f"components-{index}-target": "100",
                f"components-{index}-threshold_payout": "25",
                f"components-{index}-accelerator": "2",
                f"components-{index}-cap": "200",
            }
        )
    data.update(overrides)
    return data


def test_admin_creates_a_plan_through_the_form(client, org):
    client.force_login(org.otto)
    assert client.get("/pay/plans/new/").status_code == 200
    response = client.post("/pay/plans/new/", plan_post())
    assert response.status_code == 302
    plan = CompensationPlan.objects.get(name="Reps 2027")
    assert [(c.metric, c.threshold, c.cap) for c in plan.components.all()] == [
        ("won_value", Decimal("0.5"), Decimal("2")),
        ("new_customers", Decimal("0.5"), Decimal("2")),
    ]
    assert client.get(f"/pay/plans/{plan.pk}/").status_code == 200


def test_the_form_shows_the_weight_and_curve_errors(client, org):
    client.force_login(org.otto)
    html = client.post("/pay/plans/new/", plan_post(**{"components-1-weight": "20"}))
    assert "The weights add up to 90 %, not 100 %." in html.content.decode()
    html = client.post("/pay/plans/new/", plan_post(**{"components-0-cap": "80"}))
    assert "The cap must be at least 100 %." in html.content.decode()
    html = client.post("/pay/plans/new/", plan_post(base_pay="-5"))
    assert "Pay cannot be negative." in html.content.decode()
    german = client.post(
        "/pay/plans/new/", plan_post(**{"components-1-weight": "20"}), HTTP_ACCEPT_LANGUAGE="de"
    )
    assert "nicht 100" in german.content.decode()
    assert not CompensationPlan.objects.exists()


@pytest.mark.parametrize("who", ["alice", "mona", "kim", "hanna"])
def test_only_admins_edit_plans_and_bands(client, org, who):
    plan = plan_for(org)
    band = SalaryBand.objects.first()
    client.force_login(getattr(org, who))
    assert client.get("/pay/plans/new/").status_code == 403
    assert client.post(f"/pay/plans/{plan.pk}/delete/").status_code == 403
    assert client.get(f"/pay/bands/{band.pk}/").status_code == 403
    assert client.get("/pay/plans/").status_code == 200
    assert client.get("/pay/bands/").status_code == 200


def test_personal_plans_are_listed_only_to_those_who_see_the_persons_pay(client, org):
    plan_for(org, name="Role plan")
    plan_for(org, name="Alice only", user=org.alice)
    assert "Alice only" in get(client, org.mona, "/pay/plans/").content.decode()
    html = get(client, org.sam, "/pay/plans/").content.decode()
    assert "Alice only" not in html and "Role plan" in html


def test_bands_are_seeded_filtered_and_edited(client, org):
    html = get(client, org.alice, "/pay/bands/?company_size=medium&industry=any").content.decode()
    assert 'data-band="kam-senior"' in html and "102,000.00" in html
    html = get(client, org.alice, "/pay/bands/?role=kam&company_size=medium", "de")
    assert "102.000,00" in html.content.decode() and "Gehaltsbänder" in html.content.decode()
    band = SalaryBand.objects.get(role="kam", level="senior", company_size="medium", industry="any")
    client.force_login(org.otto)
    refused = client.post(
        f"/pay/bands/{band.pk}/", {"minimum": "90000", "midpoint": "80000", "maximum": "1"}
    )
    assert "cannot lie below the minimum" in refused.content.decode()
    done = client.post(
        f"/pay/bands/{band.pk}/", {"minimum": "90000", "midpoint": "105000", "maximum": "120000"}
    )
    assert done.status_code == 302
    band.refresh_from_db()
    assert band.midpoint == Decimal("105000")


def test_a_kam_statement_without_what_if(client, org):
    plan_for(
        org,
        role="kam",
        valid_from=datetime.date(2025, 1, 1),
        components=[
            {"metric": "account_growth", "weight": 100, "kpi_target": "0.1", **curve()},
        ],
    )
    html = get(client, org.kim, f"/pay/people/{org.kim.pk}/").content.decode()
    assert "Account growth" in html
    assert 'id="what-if"' not in html
    # KAMs think in years: the default period is the current year
    assert re.search(r'name="period" value="\d{4}"', html)
    assert get(client, org.mona, f"/pay/people/{org.kim.pk}/").status_code == 404
