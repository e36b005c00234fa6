"""The KAM cockpit and concentration pages (English and German), GET /api/kpis/kam and
`tandem kpis --role kam`: the same numbers everywhere, and nobody sees another KAM's
portfolio they may not see."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from tandem.accounts.models import Tier
from tandem.core.periods import Period
from tandem.kam.kpis import compute
from tandem.users.models import Role
from testsupport.api import token_client
from testsupport.builders import make_account, make_product, make_revenue_line, make_user


def client_for(user, language="en") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


def test_a_kam_sees_their_own_portfolio_in_english_and_german(portfolios):
    org = portfolios
    page = client_for(org.kim).get("/kam/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "KAM cockpit" in html
    assert "Big Customer AG" in html and "Small Customer GmbH" in html
    assert "Karl's Customer" not in html
    assert "Losing Big Customer AG removes 75 % of this revenue." in html
    assert 'id="kam-data"' in html
    assert 'name="kam"' not in html  # nobody to choose
    assert page.context["company"].revenue == Decimal(800)
    german = client_for(org.kim, "de").get("/kam/").content.decode()
    assert "KAM-Cockpit" in german
    assert "Wenn Big Customer AG verloren geht, fallen 75 % dieses Umsatzes weg." in german
    assert "Umsatz" in german


def test_a_kam_may_not_choose_another_kam_and_a_rep_may_not_open_it(portfolios):
    org = portfolios
    assert client_for(org.kim).get(f"/kam/?kam={org.karl.pk}").status_code == 403
    assert client_for(org.alice).get("/kam/").status_code == 403
    assert client_for(org.alice).get("/kam/concentration/").status_code == 403
    assert Client().get("/kam/").status_code == 302  # to the login page


def test_head_of_sales_sees_every_kam_side_by_side_and_can_choose_one(portfolios):
    org = portfolios
    page = client_for(org.hanna).get("/kam/")
    html = page.content.decode()
    assert 'id="kams"' in html
    assert "Karl's Customer" in html and "Big Customer AG" in html
    kams = page.context["per_kam"]  # the KAMs with the most revenue first
    assert {group.kam for group in kams} == {org.kim, org.karl}
    assert [group.revenue for group in kams] == sorted(
        (group.revenue for group in kams), reverse=True
    )
    # the company's revenue is known to the Head of Sales: the concentration page names it
    concentration = client_for(org.hanna).get("/kam/concentration/").content.decode()
    assert "of the company's revenue" in concentration
    assert "of the company's revenue" not in html  # the cockpit does not scan it
    one = client_for(org.hanna).get(f"/kam/?kam={org.karl.pk}")
    assert [r.name for r in one.context["accounts"]] == ["Karl's Customer"]
    assert 'id="kams"' not in one.content.decode()


def test_a_sales_manager_looks_at_one_kam_at_a_time(portfolios):
    org = portfolios
    page = client_for(org.mona).get("/kam/")
    assert page.status_code == 200
    assert page.context["kams"] == [org.kim]  # the first by name ("Test" before "Zander")
    assert 'name="kam"' in page.content.decode()
    other = client_for(org.mona).get(f"/kam/?kam={org.karl.pk}")
    assert other.context["kams"] == [org.karl]
    assert client_for(org.mona).get(f"/kam/?kam={org.alice.pk}").status_code == 403


def test_a_wrong_period_is_named_and_the_current_year_shown(portfolios):
    org = portfolios
    page = client_for(org.kim, "de").get("/kam/?period=2026Q9")
    html = page.content.decode()
    assert 'id="period-error"' in html
    assert "ist kein Zeitraum" in html
    assert page.context["period"] == Period.containing(timezone.localdate(), "year")


def test_the_concentration_page(portfolios):
    org = portfolios
    page = client_for(org.hanna).get("/kam/concentration/")
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [r.account.name for r in rows] == [
        "Karl's Customer",
        "Big Customer AG",
        "Small Customer GmbH",
    ]
    total = 1000 + 600 + 200
    assert [r.account.share for r in rows] == pytest.approx(
        [1000 / total, 600 / total, 200 / total]
    )
    assert rows[-1].cumulative == pytest.approx(1.0)
    hhi = sum((v / total) ** 2 for v in [1000, 600, 200])
    assert page.context["company"].herfindahl_index == pytest.approx(hhi)
    lorenz = page.context["charts"]["pareto"]["lorenz"]
    assert lorenz[0] == [0.0, 0.0] and lorenz[-1] == [100.0, 100.0]
    german = client_for(org.kim, "de").get("/kam/concentration/").content.decode()
    assert "Umsatzkonzentration" in german
    assert "Karl&#x27;s Customer" not in german


def test_api_answers_what_the_cli_prints(portfolios):
    org = portfolios
    year = str(timezone.localdate().year)
    response = token_client(org.hanna).get(f"/api/kpis/kam?period={year}")
    assert response.status_code == 200
    report = response.json()
    out = io.StringIO()
    call_command(
        "kpis", "--role", "kam", "--user", "hanna", "--period", year, "--format", "json",
        stdout=out,
    )  # fmt: skip
    assert json.loads(out.getvalue()) == report
    assert {k["kam"] for k in report["kams"]} == {"kim", "karl"}
    assert report["company"]["revenue"] == 1800.0
    big = next(a for a in report["accounts"] if a["name"] == "Big Customer AG")
    assert big["account_growth"] == pytest.approx(0.5)
    assert big["portfolio_share"] == pytest.approx(0.75)
    assert set(report["company"]) >= {
        "account_growth",
        "customer_lifetime_value",
        "renewal_rate",
        "cross_sell_success",
        "stakeholder_coverage",
        "renewal_risk",
        "top10_share",
        "herfindahl_index",
        "revenue",
        "accounts",
    }
    expected = compute([org.kim, org.karl], Period.parse(year))
    assert report["company"]["herfindahl_index"] == pytest.approx(
        expected.company.herfindahl_index, abs=1e-6
    )


def test_api_scopes_and_refuses(portfolios):
    org = portfolios
    mine = token_client(org.kim).get("/api/kpis/kam").json()
    assert [k["kam"] for k in mine["kams"]] == ["kim"]
    assert {a["name"] for a in mine["accounts"]} == {"Big Customer AG", "Small Customer GmbH"}
    assert mine["company_revenue"] is None  # a KAM is not told the company's revenue
    assert token_client(org.kim).get("/api/kpis/kam?kam=karl").status_code == 403
    assert token_client(org.alice).get("/api/kpis/kam").status_code == 403
    chosen = token_client(org.hanna).get(f"/api/kpis/kam?kam={org.karl.pk}").json()
    assert [a["name"] for a in chosen["accounts"]] == ["Karl's Customer"]
    bad = token_client(org.hanna, "de").get("/api/kpis/kam?period=2026Q7")
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "period"]
    unknown = token_client(org.hanna).get("/api/kpis/kam?kam=nobody")
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["query", "kam"]


def test_cli_table_and_refusals(portfolios):
    out = io.StringIO()
    call_command("kpis", "--role", "kam", "--user", "kim", stdout=out)
    text = out.getvalue()
    assert "KAM KPIs" in text and "Big Customer AG" in text and "Karl" not in text
    with pytest.raises(CommandError, match="may not see"):
        call_command("kpis", "--role", "kam", "--user", "alice", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no Key Account Manager"):
        call_command(
            "kpis", "--role", "kam", "--user", "hanna", "--kam", "nobody", stdout=io.StringIO()
        )
    with pytest.raises(CommandError):
        call_command(
            "kpis", "--role", "kam", "--user", "hanna", "--period", "20x6", stdout=io.StringIO()
        )


def test_the_portfolio_table_lists_at_most_50_accounts_when_every_kam_is_shown(org):
    make_user("karl", Role.KEY_ACCOUNT_MANAGER)
    product = make_product()
    day = timezone.localdate().replace(day=1)
    for i in range(55):
        account = make_account(org.kim, name=f"Customer {i:02d}", tier=Tier.KEY_ACCOUNT)
        make_revenue_line(account, product, invoiced_on=day, amount=Decimal(100 + i))
    page = client_for(org.hanna).get("/kam/")
    assert len(page.context["accounts"]) == 50
    assert page.context["accounts"][0].name == "Customer 54"
    assert "the 50 largest of 55 key accounts" in page.content.decode()
    assert len(client_for(org.kim).get("/kam/").context["accounts"]) == 55


def test_a_large_company_s_kams_table_shows_the_largest_until_asked_for_all(
    portfolios, monkeypatch
):
    org = portfolios
    monkeypatch.setattr("tandem.core.lists.TABLE_ROWS", 1)
    page = client_for(org.hanna).get("/kam/")
    everyone = page.context["per_kam"] + []
    assert len(everyone) == 1 and page.context["more_kams"] == 1
    assert "1 more row not shown." in page.content.decode()
    every = client_for(org.hanna).get("/kam/?rows=all").context["per_kam"]
    assert len(every) == 2 and every[0] == everyone[0]
    assert every[0].revenue >= every[1].revenue  # the largest first


def test_the_concentration_page_lists_the_most_concentrated_portfolios_first(
    portfolios, monkeypatch
):
    org = portfolios
    every = client_for(org.hanna).get("/kam/concentration/").context["groups"]
    indexes = [row.portfolio.herfindahl_index or 0 for row in every]
    assert len(every) == 2 and indexes == sorted(indexes, reverse=True)
    monkeypatch.setattr("tandem.core.lists.TABLE_ROWS", 1)
    page = client_for(org.hanna).get("/kam/concentration/")
    assert [g.portfolio.kam for g in page.context["groups"]] == [every[0].portfolio.kam]
    assert page.context["more_kams"] == 1
