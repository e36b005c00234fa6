"""`tandem keyaccounts propose`: Tandem's own proposals for accounts that meet a rule."""

from io import StringIO

import pytest
from django.core.management import call_command

from tandem.accounts.models import Tier
from tandem.kam.management.commands.keyaccounts import Command
from tandem.kam.models import KamPeriodFigures
from tandem.keyaccounts.models import Handover, HandoverStatus, RuleEvaluation
from tandem.keyaccounts.selectors import RULE_STRATEGIC, current_evaluation
from testsupport.builders import make_account


def run() -> str:
    out = StringIO()
    call_command("keyaccounts", "propose", stdout=out)
    return out.getvalue()


def test_proposes_once_per_candidate_to_the_kam_with_most_room(org, kai):
    make_account(kai, name="Kai's key", tier=Tier.KEY_ACCOUNT)
    first = make_account(org.alice, name="A strategic", is_strategic=True)
    second = make_account(org.bob, name="B strategic", is_strategic=True)
    make_account(org.bob, name="Plain")
    make_account(kai, name="Already key", tier=Tier.KEY_ACCOUNT, is_strategic=True)
    output = run()
    assert "2 handovers proposed." in output
    handovers = {h.account: h for h in Handover.objects.all()}
    assert set(handovers) == {first, second}
    # kai holds two key accounts, kim none: kim has the most room for both
    assert handovers[first].to_kam == org.kim
    assert handovers[second].to_kam == org.kim
    for handover in handovers.values():
        assert handover.proposed_by is None
        assert handover.status == HandoverStatus.PROPOSED
        assert handover.from_user == handover.account.owner
        assert handover.reasons[0]["rule"] == RULE_STRATEGIC
        assert handover.events.get().actor is None
    assert "0 handovers proposed." in run()
    assert Handover.objects.count() == 2


def test_messages_follow_the_terminal_language(org, monkeypatch, capsys):

    monkeypatch.setenv("LANGUAGE", "de")
    out = StringIO()
    Command(stdout=out).run_from_argv(["tandem", "keyaccounts", "propose"])
    assert "0 Übergaben vorgeschlagen." in out.getvalue()
    with pytest.raises(SystemExit):
        Command(stdout=out).run_from_argv(["tandem", "keyaccounts", "propose", "--date", "x"])
    assert "Kein Datum (JJJJ-MM-TT): x" in capsys.readouterr().err


def test_refresh_keeps_the_evaluation_and_computes_the_kept_kam_figures(org):
    make_account(org.alice, name="A strategic", is_strategic=True)
    make_account(org.kim, name="Kim's key", tier=Tier.KEY_ACCOUNT)
    out = StringIO()
    call_command("keyaccounts", "refresh", stdout=out)
    assert "1 accounts meet a key-account rule." in out.getvalue()
    evaluation = RuleEvaluation.objects.get()
    assert current_evaluation().pk == evaluation.pk  # the page reads it, no new evaluation
    assert KamPeriodFigures.objects.count() == 6  # this and the last year, quarter, month
