"""The company-wide KAM figures kept for the day: the same as computing them now, computed
again on a new day, for other KAMs, or when an admin asks; the page says when."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.models import ContractStatus, Tier
from tandem.core.periods import Period, PeriodKind
from tandem.kam.kpis import compute, kams_in_scope, stored_compute
from tandem.kam.report import kam_report_json, report_from
from tandem.keyaccounts.models import KamFigures
from tandem.users.models import Role
from testsupport.builders import (
    make_account,
    make_contact,
    make_contract,
    make_product,
    make_revenue_line,
    make_user,
)


@pytest.fixture
def portfolios(org):
    """Two KAMs, key accounts with revenue over three years, contacts and contracts."""
    org.karl = make_user("karl", Role.KEY_ACCOUNT_MANAGER, last_name="Zander")
    today = timezone.localdate()
    products = [make_product(f"P{n}") for n in range(3)]
    for n in range(6):
        kam = org.kim if n % 2 else org.karl
        account = make_account(kam, name=f"Key {n}", tier=Tier.KEY_ACCOUNT)
        for back in range(0, 900, 45 + n * 7):
            make_revenue_line(
                account,
                products[(n + back) % 3],
                invoiced_on=today - datetime.timedelta(days=back),
                amount=Decimal(100 + n * 37 + back % 11),
            )
        if n % 3 == 0:
            make_contact(account, hierarchy_level="c_level", buying_role="decision_maker")
        make_contract(
            account,
            start_on=today - datetime.timedelta(days=300),
            end_on=today + datetime.timedelta(days=20 * n + 5),
            status=ContractStatus.ACTIVE,
            annual_value=Decimal(1000 * (n + 1)),
        )
    return org


def year() -> Period:
    return Period.containing(timezone.localdate(), PeriodKind.YEAR)


@pytest.mark.parametrize("with_company_revenue", [False, True])
def test_kept_figures_are_the_fresh_figures(portfolios, with_company_revenue):
    kams = kams_in_scope(portfolios.hanna)
    period = year()
    first, computed_at = stored_compute(kams, period, with_company_revenue=with_company_revenue)
    kept, kept_at = stored_compute(kams, period, with_company_revenue=with_company_revenue)
    assert kept_at == computed_at
    fresh = compute(kams, period, with_company_revenue=with_company_revenue)
    assert report_from(kept) == report_from(fresh) == report_from(first)
    assert kept.company.renewal_risk == fresh.company.renewal_risk
    assert kept.company.renewal_risk_value == fresh.company.renewal_risk_value
    assert fresh.company.accounts == 6


def test_kept_figures_are_read_without_computing(portfolios):
    kams = kams_in_scope(portfolios.hanna)
    stored_compute(kams, year())
    with CaptureQueriesContext(connection) as queries:
        stored_compute(kams, year())
    assert len(queries) == 1
    assert KamFigures.objects.count() == 1


def test_computed_again_for_other_kams_on_request_and_on_a_new_day(portfolios):
    org = portfolios
    period = year()
    _result, first_at = stored_compute(kams_in_scope(org.hanna), period)
    newcomer = make_user("kira", Role.KEY_ACCOUNT_MANAGER)
    result, _at = stored_compute(kams_in_scope(org.hanna), period)
    assert newcomer.pk in [k.pk for k in result.kams]
    _result, again_at = stored_compute(kams_in_scope(org.hanna), period, refresh=True)
    assert again_at > first_at
    KamFigures.objects.update(day=timezone.localdate() - datetime.timedelta(days=1))
    stored_compute(kams_in_scope(org.hanna), period)
    assert list(KamFigures.objects.values_list("day", flat=True)) == [timezone.localdate()]


def test_the_report_for_every_kam_equals_a_fresh_one(portfolios):
    org = portfolios
    period = year()
    kept = kam_report_json(org.hanna, period)
    assert KamFigures.objects.exists()
    fresh = report_from(compute(kams_in_scope(org.hanna), period, with_company_revenue=True))
    assert kept == fresh
    # one KAM's report is never kept
    KamFigures.objects.all().delete()
    kam_report_json(org.kim, period)
    assert not KamFigures.objects.exists()


def _client(user, language="en") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", ["/kam/", "/kam/concentration/"])
def test_the_page_says_when_and_only_admins_compute_again(portfolios, url):
    org = portfolios
    head = _client(org.hanna).get(url)
    html = head.content.decode()
    assert "Figures for every KAM as computed on" in html
    assert "data-refresh" not in html
    before = KamFigures.objects.get().computed_at
    assert _client(org.hanna).post(url).status_code == 403  # not an admin: refused
    assert KamFigures.objects.get().computed_at == before
    admin_page = _client(org.otto).get(url).content.decode()
    assert "data-refresh" in admin_page
    assert _client(org.otto).post(url).status_code == 302
    assert KamFigures.objects.get().computed_at > before
    german = _client(org.otto, "de").get(url).content.decode()
    assert "Kennzahlen aller KAMs mit Stand vom" in german
    assert "Jetzt neu berechnen" in german


def test_one_kams_cockpit_is_computed_fresh(portfolios):
    org = portfolios
    html = _client(org.kim).get("/kam/").content.decode()
    assert "Figures for every KAM" not in html
    assert not KamFigures.objects.exists()
