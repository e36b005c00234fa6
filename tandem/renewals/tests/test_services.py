"""Recording a renewal outcome: the rules, bad input, who may, and the audit row."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from tandem.accounts.models import Contract, ContractStatus
from tandem.audit.models import AuditEvent
from tandem.core.errors import DomainError
from tandem.renewals.services import record_outcome
from testsupport.builders import make_account, make_contract, make_deal

D = datetime.timedelta


@pytest.fixture
def contract(org):
    account = make_account(org.kim, name="Kilo")
    return make_contract(
        account,
        start_on=datetime.date(2026, 1, 1),
        end_on=datetime.date(2026, 12, 31),
        annual_value=Decimal("50000"),
        notice_period_days=60,
    )


def unchanged(contract):
    contract.refresh_from_db()
    return (
        contract.status == ContractStatus.ACTIVE
        and not Contract.objects.filter(renewal_of=contract).exists()
    )


def test_renewed_starts_a_follow_on_contract_of_the_same_length(org, contract):
    successor = record_outcome(contract, "renewed", acting_user=org.kim, note="Happy")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.RENEWED
    assert contract.outcome_recorded_by == org.kim
    assert contract.outcome_note == "Happy"
    assert successor.renewal_of == contract
    assert successor.start_on == datetime.date(2027, 1, 1)
    assert successor.end_on == datetime.date(2027, 12, 31)
    assert successor.annual_value == Decimal("50000")
    assert successor.notice_period_days == 60
    assert successor.status == ContractStatus.ACTIVE
    event = AuditEvent.objects.get(action="contract.renewed")
    assert event.actor == org.kim
    assert event.object_id == str(contract.pk)
    assert event.changes["successor"] == successor.pk


def test_expanded_and_reduced_need_a_value_in_the_right_direction(org, contract):
    for outcome, value in [
        ("expanded", None),
        ("expanded", 50000),
        ("expanded", 40000),
        ("reduced", None),
        ("reduced", 50000),
        ("reduced", 60000),
        ("reduced", 0),
        ("renewed", 55000),
    ]:
        with pytest.raises(DomainError) as error:
            record_outcome(contract, outcome, acting_user=org.kim, new_annual_value=value)
        assert error.value.field == "new_annual_value", (outcome, value)
        assert unchanged(contract)
    successor = record_outcome(
        contract,
        "expanded",
        acting_user=org.kim,
        new_annual_value="65000",
        new_end_on=datetime.date(2028, 12, 31),
    )
    assert successor.annual_value == Decimal("65000")
    assert successor.end_on == datetime.date(2028, 12, 31)


def test_expanded_with_a_lower_value_says_why(org, contract):
    with pytest.raises(DomainError) as error:
        record_outcome(contract, "expanded", acting_user=org.kim, new_annual_value=40000)
    assert "higher annual value than today’s 50,000.00" in error.value.message


def test_reduced(org, contract):
    successor = record_outcome(contract, "reduced", acting_user=org.kim, new_annual_value=30000)
    contract.refresh_from_db()
    assert contract.status == "reduced"
    assert successor.annual_value == 30000


def test_churned_needs_a_reason_and_no_new_terms(org, contract):
    with pytest.raises(DomainError) as error:
        record_outcome(contract, "churned", acting_user=org.kim)
    assert error.value.field == "note"
    with pytest.raises(DomainError):
        record_outcome(contract, "churned", acting_user=org.kim, new_annual_value=1, note="Gone")
    assert unchanged(contract)
    result = record_outcome(contract, "churned", acting_user=org.kim, note="Went to a rival")
    assert result == contract
    assert result.status == ContractStatus.CHURNED
    assert not Contract.objects.filter(renewal_of=contract).exists()
    assert AuditEvent.objects.filter(action="contract.churned").count() == 1


def test_bad_outcome_end_date_and_twice(org, contract):
    with pytest.raises(DomainError) as error:
        record_outcome(contract, "active", acting_user=org.kim)
    assert error.value.field == "outcome"
    with pytest.raises(DomainError) as error:
        record_outcome(
            contract, "renewed", acting_user=org.kim, new_end_on=datetime.date(2026, 12, 31)
        )
    assert error.value.field == "new_end_on"
    with pytest.raises(DomainError):
        record_outcome(contract, "renewed", acting_user=org.kim, new_annual_value="lots")
    assert unchanged(contract)
    record_outcome(contract, "renewed", acting_user=org.kim)
    with pytest.raises(DomainError) as error:
        record_outcome(contract, "churned", acting_user=org.kim, note="changed our mind")
    assert "already recorded: Renewed" in error.value.message
    assert AuditEvent.objects.filter(action__startswith="contract.").count() == 1


@pytest.mark.parametrize("persona", ["alice", "bob", "mona", "sam"])
def test_people_who_do_not_manage_the_account_may_not(org, contract, persona):
    with pytest.raises(DomainError):
        record_outcome(contract, "renewed", acting_user=getattr(org, persona))
    assert unchanged(contract)


def test_seeing_an_account_through_a_deal_is_not_enough(org, contract):
    make_deal(org.alice, contract.account)
    with pytest.raises(DomainError) as error:
        record_outcome(contract, "renewed", acting_user=org.alice)
    assert "Only the account's owner" in error.value.message
    assert unchanged(contract)


@pytest.mark.parametrize("persona", ["hanna", "otto"])
def test_head_and_admin_may(org, contract, persona):
    record_outcome(contract, "renewed", acting_user=getattr(org, persona))
    contract.refresh_from_db()
    assert contract.status == "renewed"


def test_the_sales_manager_of_the_owner_may(org):
    contract = make_contract(make_account(org.alice))
    record_outcome(contract, "renewed", acting_user=org.mona)
    with pytest.raises(DomainError):
        record_outcome(make_contract(make_account(org.alice)), "renewed", acting_user=org.sam)


def test_german_message(org, contract):
    with translation.override("de"), pytest.raises(DomainError) as error:
        record_outcome(contract, "expanded", acting_user=org.kim, new_annual_value=1)
    assert "50.000,00" in error.value.message
