"""The handover: proposal, dossier completeness, acceptance, capacity, rejection, permissions."""

import pytest
from django.utils import timezone

from tandem.accounts.models import Account, Tier
from tandem.audit.models import AuditEvent
from tandem.audit.selectors import history_of
from tandem.core.errors import DomainError
from tandem.keyaccounts.models import Handover, HandoverAction, HandoverStatus
from tandem.keyaccounts.services import (
    accept_handover,
    propose_handover,
    reject_handover,
    save_dossier,
    submit_handover,
    withdraw_handover,
)
from tandem.keyaccounts.tests.conftest import complete_texts
from tandem.pipeline.selectors import visible_deals
from tandem.users.models import Role
from testsupport.builders import make_account, make_deal, make_user


def submitted(org, account=None, kam=None):
    account = account or make_account(org.alice, name="Acme")
    handover = propose_handover(account, kam or org.kim, acting_user=org.mona)
    return submit_handover(handover, acting_user=org.mona, **complete_texts())


def test_owner_and_their_manager_may_propose_others_may_not(org):
    account = make_account(org.alice)
    assert propose_handover(account, org.kim, acting_user=org.alice).from_user == org.alice
    other = make_account(org.alice)
    assert propose_handover(other, org.kim, acting_user=org.mona).proposed_by == org.mona
    for outsider in (org.bob, org.sam, org.kim):
        with pytest.raises(DomainError):
            propose_handover(make_account(org.alice), org.kim, acting_user=outsider)


def test_a_handover_goes_only_to_an_active_kam(org):
    account = make_account(org.alice)
    with pytest.raises(DomainError, match="Key Account Manager"):
        propose_handover(account, org.bob, acting_user=org.alice)
    gone = make_user("gone", Role.KEY_ACCOUNT_MANAGER, is_active=False)
    with pytest.raises(DomainError, match="no longer active"):
        propose_handover(account, gone, acting_user=org.alice)
    assert not Handover.objects.exists()


def test_the_same_account_is_proposed_to_a_kam_once(org):
    account = make_account(org.alice)
    propose_handover(account, org.kim, acting_user=org.alice)
    with pytest.raises(DomainError, match="already proposed"):
        propose_handover(account, org.kim, acting_user=org.mona)
    assert Handover.objects.count() == 1


def test_submitting_with_a_part_missing_is_refused_and_names_it(org):
    account = make_account(org.alice)
    handover = propose_handover(account, org.kim, acting_user=org.alice)
    with pytest.raises(DomainError) as error:
        submit_handover(handover, acting_user=org.alice, customer_needs="Fewer suppliers")
    assert "commitments made" in error.value.message
    assert "risks" in error.value.message
    assert "customer needs" not in error.value.message
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.PROPOSED
    assert handover.customer_needs == ""  # nothing kept from the refused submission
    save_dossier(handover, acting_user=org.alice, customer_needs="Fewer suppliers", risks=" ")
    with pytest.raises(DomainError, match="Missing: commitments made, risks"):
        submit_handover(handover, acting_user=org.alice)


def test_submission_keeps_the_assembled_facts(org):
    account = make_account(org.alice)
    make_deal(org.alice, account, name="Fleet")
    handover = submitted(org, account)
    assert handover.status == HandoverStatus.SUBMITTED
    assert [d["name"] for d in handover.dossier["open_deals"]] == ["Fleet"]
    assert handover.dossier["coverage_gaps"] == [
        "no_decision_maker_reached",
        "single_threaded",
        "no_c_level",
    ]
    assert handover.submitted_at is not None


def test_acceptance_moves_owner_and_tier_and_records_every_step(org):
    account = make_account(org.alice, name="Acme")
    deal = make_deal(org.alice, account)
    handover = accept_handover(submitted(org, account), acting_user=org.kim)
    account.refresh_from_db()
    deal.refresh_from_db()
    assert account.owner == org.kim
    assert account.tier == Tier.KEY_ACCOUNT
    assert handover.status == HandoverStatus.ACCEPTED
    assert deal.owner == org.alice  # open deals keep their owner
    assert list(handover.events.values_list("action", "actor")) == [
        (HandoverAction.PROPOSED, org.mona.pk),
        (HandoverAction.SUBMITTED, org.mona.pk),
        (HandoverAction.ACCEPTED, org.kim.pk),
    ]
    actions = set(history_of(account).values_list("action", flat=True))
    assert {"account.owner_changed", "account.tier_changed"} <= actions

    assert visible_deals(org.kim).filter(pk=deal.pk).exists()


def test_acceptance_is_all_or_nothing(org, monkeypatch):
    """A failure after the owner change was written and audited (here: the clock fails when
    the tier change is stamped) leaves everything as it was."""
    handover = submitted(org)

    real_now, calls = timezone.now, []

    def clock_failing_the_second_time():
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("clock failed")
        return real_now()

    monkeypatch.setattr(timezone, "now", clock_failing_the_second_time)
    with pytest.raises(RuntimeError):
        accept_handover(handover, acting_user=org.kim)
    monkeypatch.undo()
    account = Account.objects.get(pk=handover.account_id)
    assert (account.owner, account.tier) == (org.alice, Tier.STANDARD)
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.SUBMITTED
    assert not AuditEvent.objects.filter(action="account.owner_changed").exists()


def test_only_the_addressed_kam_accepts_and_only_once(org, kai):
    handover = submitted(org)
    for other in (kai, org.hanna, org.mona):
        with pytest.raises(DomainError):
            accept_handover(handover, acting_user=other)
    accept_handover(handover, acting_user=org.kim)
    with pytest.raises(DomainError, match="already accepted"):
        accept_handover(handover, acting_user=org.kim)
    assert Handover.objects.filter(status=HandoverStatus.ACCEPTED).count() == 1


def test_a_proposed_handover_cannot_be_accepted_before_submission(org):
    handover = propose_handover(make_account(org.alice), org.kim, acting_user=org.alice)
    with pytest.raises(DomainError, match="only a submitted handover"):
        accept_handover(handover, acting_user=org.kim)


def test_a_kam_at_capacity_cannot_accept(org, rules):
    rules.kam_capacity = 1
    rules.save()
    make_account(org.kim, tier=Tier.KEY_ACCOUNT)
    handover = submitted(org)
    with pytest.raises(DomainError, match=r"1 key accounts, the most one KAM may hold \(1\)"):
        accept_handover(handover, acting_user=org.kim)
    assert Account.objects.get(pk=handover.account_id).owner == org.alice


def test_acceptance_withdraws_the_other_kams_proposal(org, kai):
    account = make_account(org.alice)
    first = submitted(org, account, org.kim)
    second = submitted(org, account, kai)
    accept_handover(first, acting_user=org.kim)
    second.refresh_from_db()
    assert second.status == HandoverStatus.WITHDRAWN
    with pytest.raises(DomainError):
        accept_handover(second, acting_user=kai)
    assert Account.objects.get(pk=account.pk).owner == org.kim


def test_rejection_needs_a_reason(org):
    handover = submitted(org)
    with pytest.raises(DomainError, match="Say why"):
        reject_handover(handover, acting_user=org.kim, reason="  ")
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.SUBMITTED
    reject_handover(handover, acting_user=org.kim, reason="Too small for a KAM")
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.REJECTED
    assert handover.events.last().note == "Too small for a KAM"
    assert Account.objects.get(pk=handover.account_id).owner == org.alice


def test_the_proposer_withdraws_an_open_handover(org):
    handover = propose_handover(make_account(org.alice), org.kim, acting_user=org.alice)
    with pytest.raises(DomainError):
        withdraw_handover(handover, acting_user=org.bob)
    withdraw_handover(handover, acting_user=org.alice)
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.WITHDRAWN
