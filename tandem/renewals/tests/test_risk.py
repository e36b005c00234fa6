"""Renewal-risk signals on hand-built cases: each signal alone, then together."""

import calendar
import datetime

from tandem.accounts.models import BuyingRole, Contact, ContractStatus, RenewalTerms
from tandem.renewals import selectors as s
from tandem.renewals.selectors import renewal_risks
from testsupport.builders import make_activity, make_deal, make_product, make_revenue_line

from .conftest import TODAY, at, healthy_contract

D = datetime.timedelta


def risk_of(contract, today=TODAY):
    (risk,) = renewal_risks([contract], today)
    return risk


def codes(risk):
    return [f.code for f in risk.factors]


def test_healthy_contract_has_no_signal(org):
    risk = risk_of(healthy_contract(org.kim))
    assert risk.score == 0
    assert risk.level == "low"
    assert risk.signals == []


def test_no_decision_maker_contact_for_long(org):
    contract = healthy_contract(org.kim)
    maker = Contact.objects.get(account=contract.account, buying_role=BuyingRole.DECISION_MAKER)
    maker.activities.all().update(occurred_at=at(TODAY - D(days=120)))
    risk = risk_of(contract)
    assert codes(risk) == [s.SIGNAL_NO_DECISION_MAKER]
    assert risk.score == s.WEIGHT_NO_DECISION_MAKER
    assert "120 days" in risk.signals[0]
    # 89 days is still recent enough
    maker.activities.all().update(occurred_at=at(TODAY - D(days=s.DECISION_MAKER_DAYS - 1)))
    assert risk_of(contract).score == 0


def test_activities_after_the_day_scored_do_not_count(org):
    contract = healthy_contract(org.kim)
    maker = Contact.objects.get(account=contract.account, buying_role=BuyingRole.DECISION_MAKER)
    maker.activities.all().update(occurred_at=at(TODAY - D(days=200)))
    later = make_activity(contract.account, org.kim, occurred_at=at(TODAY + D(days=1)))
    later.contacts.add(maker)
    risk = risk_of(contract)
    assert codes(risk) == [s.SIGNAL_NO_DECISION_MAKER]
    assert "200 days" in risk.signals[0]
    assert risk_of(contract, TODAY + D(days=1)).score == 0


def test_activity_without_the_decision_maker_does_not_count(org):
    contract = healthy_contract(org.kim)
    Contact.objects.get(account=contract.account, buying_role=BuyingRole.DECISION_MAKER)
    # a recent call with nobody in particular
    make_activity(contract.account, org.kim, occurred_at=at(TODAY - D(days=1)))
    maker = Contact.objects.get(account=contract.account, buying_role=BuyingRole.DECISION_MAKER)
    maker.activities.clear()
    risk = risk_of(contract)
    assert codes(risk) == [s.SIGNAL_NO_DECISION_MAKER]
    assert risk.signals == ["No contact with a decision maker on record."]


def test_decision_maker_who_left_is_no_decision_maker(org):
    contract = healthy_contract(org.kim)
    Contact.objects.filter(buying_role=BuyingRole.DECISION_MAKER).update(is_active=False)
    risk = risk_of(contract)
    assert codes(risk) == [s.SIGNAL_NO_DECISION_MAKER]
    assert "No decision maker known" in risk.signals[0]


def test_champion_gone(org):
    contract = healthy_contract(org.kim)
    champion = Contact.objects.get(account=contract.account, buying_role=BuyingRole.CHAMPION)
    champion.is_active = False
    champion.save()
    risk = risk_of(contract)
    assert codes(risk) == [s.SIGNAL_CHAMPION_GONE]
    assert str(champion) in risk.signals[0]
    assert risk.score == s.WEIGHT_CHAMPION_GONE
    champion.delete()
    assert risk_of(contract).signals == ["No champion at the account."]


def test_revenue_falling(org):
    contract = healthy_contract(org.kim)
    product = make_product()
    # 12 months before: 10 x 1000 in the older half-years, then 8 lines of 500 in the last year
    for month in range(13, 24):
        make_revenue_line(
            contract.account, product, invoiced_on=TODAY - D(days=30 * month), amount=1000
        )
    for month in range(0, 12):
        make_revenue_line(
            contract.account, product, invoiced_on=TODAY - D(days=30 * month), amount=500
        )
    risk = risk_of(contract)
    assert codes(risk) == [s.SIGNAL_REVENUE_FALLING]
    # independent computation of the 12-month drop
    lines = list(contract.account.revenue_lines.all())
    # the 12 complete months before June 2026: June 2025 to May 2026, and the 12 before
    last = sum(
        r.amount
        for r in lines
        if datetime.date(2025, 6, 1) <= r.invoiced_on <= datetime.date(2026, 5, 31)
    )
    before = sum(
        r.amount
        for r in lines
        if datetime.date(2024, 6, 1) <= r.invoiced_on <= datetime.date(2025, 5, 31)
    )
    drop = (before - last) * 100 / before
    shown = f"{drop:.1f}".removesuffix(".0")
    assert f"(−{shown} %)" in risk.signals[0]


def test_monthly_invoices_fall_equally_into_each_window(org):
    """Invoices on the same day every month: 6 in each half-year whatever today is."""
    contract = healthy_contract(org.kim)
    product = make_product()
    day = datetime.date(2024, 1, 31)
    for month in range(30):
        index = 2024 * 12 + month
        year, month_ = index // 12, index % 12 + 1
        last_day = calendar.monthrange(year, month_)[1]
        make_revenue_line(
            contract.account,
            product,
            invoiced_on=datetime.date(year, month_, min(day.day, last_day)),
            amount=1000,
        )
    for today in [
        datetime.date(2026, 3, 31),
        datetime.date(2026, 5, 30),
        TODAY,
        day.replace(2026, 7),
    ]:
        assert s.SIGNAL_REVENUE_FALLING not in codes(risk_of(contract, today)), today


def test_steady_or_slightly_lower_revenue_is_no_signal(org):
    contract = healthy_contract(org.kim)
    product = make_product()
    make_revenue_line(contract.account, product, invoiced_on=TODAY - D(days=300), amount=1000)
    make_revenue_line(contract.account, product, invoiced_on=TODAY - D(days=30), amount=950)
    assert risk_of(contract).score == 0


def test_notice_close_and_passed(org):
    contract = healthy_contract(org.kim, end_on=TODAY + D(days=100), notice_period_days=90)
    risk = risk_of(contract)  # notice date in 10 days
    assert codes(risk) == [s.SIGNAL_NOTICE_CLOSE]
    assert "10 days away" in risk.signals[0]
    contract.end_on = TODAY + D(days=60)
    contract.save()
    risk = risk_of(contract)  # notice date 30 days ago
    assert codes(risk) == [s.SIGNAL_NOTICE_PASSED]
    assert risk.score == s.WEIGHT_NOTICE_PASSED
    # an automatic renewal past its notice date renews unless cancelled: no signal
    contract.renewal_terms = RenewalTerms.AUTOMATIC
    contract.save()
    assert risk_of(contract).score == 0


def test_ends_without_renewal(org):
    contract = healthy_contract(org.kim, renewal_terms=RenewalTerms.NONE)
    assert codes(risk_of(contract)) == [s.SIGNAL_NO_RENEWAL_TERMS]


def test_renewal_deal_lost(org):
    contract = healthy_contract(org.kim)

    def deal(stage, days_ago, deal_type="renewal"):
        make_deal(
            org.kim,
            contract.account,
            stage,
            closed_on=TODAY - D(days=days_ago),
            engaged_on=TODAY - D(days=days_ago + 60),
            deal_type=deal_type,
        )

    deal("lost", 400)  # too long ago
    deal("lost", 20, "up_sell")  # not a renewal
    deal("won", 30)
    assert risk_of(contract).score == 0
    deal("lost", 20)
    risk = risk_of(contract)
    assert codes(risk) == [s.SIGNAL_LOST_DEALS]
    assert risk.signals == ["1 renewal deal lost on the account in the last 12 months."]


def test_an_economic_buyer_counts_as_decision_maker(org):
    contract = healthy_contract(org.kim)
    maker = Contact.objects.get(account=contract.account, buying_role=BuyingRole.DECISION_MAKER)
    maker.buying_role = BuyingRole.ECONOMIC_BUYER
    maker.save()
    assert risk_of(contract).score == 0
    maker.buying_role = BuyingRole.INFLUENCER
    maker.save()
    assert codes(risk_of(contract)) == [s.SIGNAL_NO_DECISION_MAKER]


def test_everything_at_once_caps_at_100_and_is_high(org):
    contract = healthy_contract(
        org.kim,
        end_on=TODAY + D(days=60),
        renewal_terms=RenewalTerms.NONE,
    )
    Contact.objects.filter(account=contract.account).update(is_active=False)
    make_deal(
        org.kim,
        contract.account,
        "lost",
        closed_on=TODAY - D(days=20),
        engaged_on=TODAY - D(days=90),
        deal_type="renewal",
    )
    product = make_product()
    make_revenue_line(contract.account, product, invoiced_on=TODAY - D(days=300), amount=1000)
    risk = risk_of(contract)
    expected = sum(s.WEIGHTS[code] for code in codes(risk))
    assert expected > 100
    assert risk.score == 100
    assert risk.level == "high"
    assert len(risk.signals) == 6
    weights = [f.weight for f in risk.factors]
    assert weights == sorted(weights, reverse=True)


def test_levels():
    assert s.level_for(0) == "low"
    assert s.level_for(29) == "low"
    assert s.level_for(30) == "medium"
    assert s.level_for(59) == "medium"
    assert s.level_for(60) == "high"


def test_many_contracts_in_few_queries(org, django_assert_max_num_queries):
    contracts = [healthy_contract(org.kim) for _ in range(5)]
    for contract in contracts:
        contract.status = ContractStatus.ACTIVE
    with django_assert_max_num_queries(3):
        risks = renewal_risks(contracts, TODAY)
    assert [r.contract for r in risks] == contracts


def test_scoring_in_chunks_gives_the_same_result(org, monkeypatch):
    contracts = [healthy_contract(org.kim) for _ in range(5)]
    Contact.objects.filter(account=contracts[1].account).update(is_active=False)
    product = make_product()
    make_revenue_line(contracts[3].account, product, invoiced_on=TODAY - D(days=300), amount=9)
    whole = [(r.score, r.signals) for r in renewal_risks(contracts, TODAY)]
    monkeypatch.setattr(s, "CHUNK", 2)
    assert [(r.score, r.signals) for r in renewal_risks(contracts, TODAY)] == whole
    assert [score for score, _ in whole] == [0, 40, 0, 20, 0]
