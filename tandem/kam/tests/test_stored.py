"""The KAM figures kept in count tables: filled only by the job a write asks for, equal to
computing them now, recomputed per changed account exactly as a full fill would; the pages and
the API only read them and say when they were computed, or that they were not yet."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.forms.models import model_to_dict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.bulk import AccountWrite, ContactWrite, upsert_accounts, upsert_contacts
from tandem.accounts.models import ContractStatus, Tier
from tandem.accounts.services import change_account_owner, change_account_tier, create_contact
from tandem.activities.services import create_activity
from tandem.core.periods import Period, PeriodKind
from tandem.jobs.models import Job, JobStatus
from tandem.kam import figures
from tandem.kam.kpis import compute, kams_in_scope
from tandem.kam.models import KamAccountFigures, KamPeriodFigures, KamStaleAccount
from tandem.kam.report import kam_report_json, report_from
from tandem.renewals.services import record_outcome
from tandem.revenue.services import upsert_revenue_lines
from tandem.users.models import Role
from testsupport.api import token_client
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
    """Two KAMs, key accounts with revenue over three years, contacts and contracts; the
    figures computed by the job the writes asked for (run before the test, as a worker would)."""
    org.karl = make_user("karl", Role.KEY_ACCOUNT_MANAGER, last_name="Zander")
    today = timezone.localdate()
    org.products = [make_product(f"P{n}") for n in range(3)]
    org.keys = []
    for n in range(6):
        kam = org.kim if n % 2 else org.karl
        account = make_account(kam, name=f"Key {n}", tier=Tier.KEY_ACCOUNT)
        org.keys.append(account)
        for back in range(0, 900, 45 + n * 7):
            make_revenue_line(
                account,
                org.products[(n + back) % 3],
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


def kept_rows() -> dict:
    """Every kept row by (period, account), without when it was computed."""
    return {
        (row.period, row.account_id): model_to_dict(row, exclude=["id", "computed_at"])
        for row in KamAccountFigures.objects.all()
    }


def kept_periods() -> dict:
    return {
        state.period: (state.day, state.churn, state.company_revenue)
        for state in KamPeriodFigures.objects.all()
    }


@pytest.mark.parametrize("with_company_revenue", [False, True])
def test_kept_figures_are_the_fresh_figures(portfolios, with_company_revenue):
    kams = kams_in_scope(portfolios.hanna)
    for period in figures.default_periods(timezone.localdate()):
        kept, _computed_at = figures.stored(kams, period, with_company_revenue=with_company_revenue)
        fresh = compute(kams, period, with_company_revenue=with_company_revenue)
        assert report_from(kept) == report_from(fresh)
        assert kept.company.renewal_risk == fresh.company.renewal_risk
        assert kept.company.renewal_risk_value == fresh.company.renewal_risk_value
        assert kept.company.renewals_due == fresh.company.renewals_due
    assert fresh.company.accounts == 6


def test_the_writes_ask_for_one_refresh_and_the_current_periods_are_kept(portfolios):
    assert set(kept_periods()) == {p.code for p in figures.default_periods(timezone.localdate())}
    assert KamAccountFigures.objects.filter(period=year().code).count() == 6
    assert not KamStaleAccount.objects.exists()
    with transaction.atomic():  # the job runs once the writing code is done
        make_revenue_line(portfolios.keys[0], portfolios.products[0], amount=Decimal(5))
        make_revenue_line(portfolios.keys[1], portfolios.products[0], amount=Decimal(5))
        waiting = Job.objects.filter(kind=figures.JOB, status=JobStatus.QUEUED)
        assert waiting.count() == 1  # not one per write
        assert KamStaleAccount.objects.count() == 2
    assert not KamStaleAccount.objects.exists()


def test_a_refresh_after_changes_equals_a_full_recompute(portfolios):
    org = portfolios
    today = timezone.localdate()
    untouched = KamAccountFigures.objects.get(period=year().code, account=org.keys[5])
    # revenue, a contract's outcome, a contact and an activity, a new owner, a demoted and a
    # new key account, and revenue of an account that is no key account (the company total),
    # in one transaction: one refresh after it
    with transaction.atomic():
        _change_everything(org, today)
    ran = Job.objects.filter(kind=figures.JOB).order_by("queued_at").last()
    assert ran.status == JobStatus.DONE and ran.result["accounts"] == 7
    incremental, periods = kept_rows(), kept_periods()
    # only the changed accounts were computed again
    again = KamAccountFigures.objects.get(period=year().code, account=org.keys[5])
    assert again.computed_at == untouched.computed_at
    assert (year().code, org.keys[4].pk) not in incremental
    assert incremental[(year().code, org.keys[3].pk)]["kam"] == org.karl.pk
    figures.refresh(full=True)
    assert kept_rows() == incremental
    assert kept_periods() == periods
    kams = kams_in_scope(org.hanna)
    kept, _at = figures.stored(kams, year(), with_company_revenue=True)
    assert report_from(kept) == report_from(compute(kams, year(), with_company_revenue=True))


def _change_everything(org, today) -> None:
    """Through the services, which say what they touched."""
    upsert_revenue_lines([(org.keys[0].pk, org.products[2].pk, today, 1, Decimal("77.70"))])
    record_outcome(org.keys[1].contracts.get(), ContractStatus.RENEWED, acting_user=org.otto)
    champion = create_contact(
        acting_user=org.kim, account=org.keys[2], first_name="Cha", last_name="Mpion",
        buying_role="champion", hierarchy_level="director",
    )  # fmt: skip
    create_activity(
        acting_user=org.kim, account=org.keys[2], contacts=[champion], kind="meeting",
        subject="Plan", occurred_at=timezone.now(),
    )  # fmt: skip
    change_account_owner(org.keys[3], org.karl, acting_user=org.otto)
    change_account_tier(org.keys[4], Tier.STANDARD, acting_user=org.otto)
    newcomer = make_account(org.karl, name="Key new", tier=Tier.KEY_ACCOUNT)
    make_revenue_line(newcomer, org.products[1], invoiced_on=today, amount=Decimal(300))
    plain = make_account(org.alice, name="Plain")
    make_revenue_line(plain, org.products[1], invoiced_on=today, amount=Decimal(1000))


def test_revenue_written_in_bulk_marks_its_accounts(portfolios):
    org = portfolios
    today = timezone.localdate()
    with transaction.atomic():
        upsert_revenue_lines(
            [(org.keys[2].pk, org.products[0].pk, today, Decimal(1), Decimal(999))]
        )
        stale = list(KamStaleAccount.objects.values_list("account_id", flat=True))
        assert stale == [org.keys[2].pk]
    kams = kams_in_scope(org.hanna)
    kept, _at = figures.stored(kams, year(), with_company_revenue=True)
    assert report_from(kept) == report_from(compute(kams, year(), with_company_revenue=True))


def test_accounts_and_contacts_written_in_bulk_mark_their_accounts(portfolios):
    org = portfolios
    with transaction.atomic():
        _write_in_bulk(org)
        stale = set(KamStaleAccount.objects.values_list("account_id", flat=True))
        assert stale == {org.keys[0].pk, org.keys[4].pk}
    kams = kams_in_scope(org.hanna)
    kept, _at = figures.stored(kams, year(), with_company_revenue=True)
    assert report_from(kept) == report_from(compute(kams, year(), with_company_revenue=True))


def _write_in_bulk(org) -> None:
    upsert_accounts([AccountWrite({"owner": org.kim}, account=org.keys[0])], acting_user=None)
    upsert_contacts(
        [
            ContactWrite(
                {
                    "account": org.keys[4],
                    "first_name": "Ann",
                    "last_name": "Lee",
                    "hierarchy_level": "c_level",
                    "buying_role": "decision_maker",
                }
            )
        ],
        acting_user=None,
    )


def test_a_new_day_computes_every_account_again(portfolios):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    KamPeriodFigures.objects.update(day=yesterday)
    KamAccountFigures.objects.filter(account=portfolios.keys[0]).update(revenue=Decimal(1))
    figures.refresh()
    assert set(KamPeriodFigures.objects.values_list("day", flat=True)) == {timezone.localdate()}
    kams = kams_in_scope(portfolios.hanna)
    kept, _at = figures.stored(kams, year(), with_company_revenue=False)
    assert report_from(kept) == report_from(compute(kams, year(), with_company_revenue=False))


def test_reading_never_writes(portfolios):
    org = portfolios
    for user, url in [(org.hanna, "/kam/"), (org.kim, "/kam/concentration/")]:
        client = _client(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        writes = [
            q["sql"]
            for q in queries
            if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
            and "django_session" not in q["sql"]
        ]
        assert writes == []
    assert not Job.objects.filter(status=JobStatus.QUEUED).exists()


def test_a_period_not_computed_says_so_and_computes_nothing(portfolios):
    org = portfolios
    html = _client(org.kim).get("/kam/?period=2019").content.decode()
    assert "The KAM figures of 2019 have not been computed yet." in html
    assert "data-refresh" not in html  # only admins ask for it
    german = _client(org.kim, "de").get("/kam/concentration/?period=2019").content.decode()
    assert "Die KAM-Kennzahlen für 2019 sind noch nicht berechnet." in german
    answered = token_client(org.hanna).get("/api/kpis/kam?period=2019")
    assert answered.status_code == 404
    assert "2019" in answered.json()["detail"]
    assert not KamPeriodFigures.objects.filter(period="2019").exists()
    assert not Job.objects.filter(status=JobStatus.QUEUED).exists()


def test_an_admin_asks_for_a_period_which_is_kept_from_then_on(portfolios):
    org = portfolios
    assert not KamPeriodFigures.objects.filter(period="2019").exists()
    assert "data-refresh" in _client(org.otto).get("/kam/?period=2019").content.decode()
    assert _client(org.hanna).post("/kam/?period=2019").status_code == 403
    assert _client(org.otto).post("/kam/?period=2019").status_code == 302  # the job ran
    kams = kams_in_scope(org.hanna)
    assert kam_report_json(org.hanna, Period.parse("2019")) == report_from(
        compute(kams, Period.parse("2019"), with_company_revenue=True)
    )
    make_revenue_line(org.keys[0], org.products[0], invoiced_on=datetime.date(2019, 3, 3))
    # kept fresh like the current periods
    assert kam_report_json(org.hanna, Period.parse("2019")) == report_from(
        compute(kams, Period.parse("2019"), with_company_revenue=True)
    )


def _client(user, language="en") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", ["/kam/", "/kam/concentration/"])
def test_the_page_says_when_and_only_admins_compute_again(portfolios, url):
    org = portfolios
    html = _client(org.hanna).get(url).content.decode()
    assert "Figures for every KAM as computed on" in html
    assert "data-refresh" not in html
    before = KamPeriodFigures.objects.get(period=year().code).filled_at
    assert _client(org.hanna).post(url).status_code == 403  # not an admin: refused
    assert not Job.objects.filter(status=JobStatus.QUEUED).exists()
    admin_page = _client(org.otto).get(url).content.decode()
    assert "data-refresh" in admin_page
    assert _client(org.otto).post(url).status_code == 302  # the job it asked for ran
    assert KamPeriodFigures.objects.get(period=year().code).filled_at > before
    german = _client(org.otto, "de").get(url).content.decode()
    assert "Kennzahlen aller KAMs mit Stand vom" in german
    assert "Jetzt neu berechnen" in german


def test_one_kams_cockpit_reads_the_same_rows(portfolios):
    org = portfolios
    page = _client(org.kim).get("/kam/")
    html = page.content.decode()
    assert "Figures for every KAM" not in html
    assert "Figures as computed on" in html
    fresh = compute([org.kim], year(), with_company_revenue=False)
    assert page.context["company"] == fresh.company
    assert sorted(page.context["accounts"], key=lambda row: row.id) == sorted(
        fresh.accounts, key=lambda row: row.id
    )
