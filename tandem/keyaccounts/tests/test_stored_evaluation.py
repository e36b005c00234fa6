"""The stored company-wide evaluation of the key-account rules: the same as evaluating now,
made again each day and whenever the rules change, paged on the candidates page."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from tandem.accounts.models import Tier
from tandem.keyaccounts.models import KeyAccountRules, RuleEvaluation, RuleHit
from tandem.keyaccounts.selectors import (
    candidates,
    current_evaluation,
    evaluate_and_store,
    evaluate_rules,
    stored_hits,
)
from tandem.keyaccounts.services import update_rules
from tandem.keyaccounts.tests.test_rules import TODAY, retail  # noqa: F401 (fixture)
from testsupport.builders import PASSWORD, make_account, make_product, make_revenue_line


def client_for(user, language="en") -> Client:
    client = Client(headers={"Accept-Language": language})
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_stored_evaluation_is_the_fresh_one_on_the_real_data(retail, org):  # noqa: F811
    rules = KeyAccountRules.current()
    rules.invoiced_revenue_threshold = Decimal("5000")
    rules.revenue_share_enabled = True
    rules.revenue_share_percent = Decimal("1")
    rules.save()
    evaluation = evaluate_and_store(TODAY)
    fresh = evaluate_rules(KeyAccountRules.current(), TODAY)
    assert len(fresh) > 10
    assert stored_hits(evaluation) == fresh
    assert evaluation.hit_count == len(fresh) == RuleHit.objects.count()
    # and one account evaluated on its own (as a proposal does) says the same
    for account_id in list(fresh)[:5]:
        assert evaluate_rules(rules, TODAY, accounts=[account_id]) == {
            account_id: fresh[account_id]
        }


def test_the_evaluation_is_kept_for_the_day_and_made_again_when_the_rules_change(org):
    make_account(org.alice, name="Strategic", is_strategic=True)
    today = timezone.localdate()
    first = current_evaluation(today)
    assert current_evaluation(today).pk == first.pk  # kept
    # data changed during the day: still the kept evaluation until it is made again
    late = make_account(org.bob, name="Late", revenue_potential=Decimal("9e6"))
    assert late.pk not in stored_hits(current_evaluation(today))
    # a new day
    tomorrow = today + datetime.timedelta(days=1)
    second = current_evaluation(tomorrow)
    assert second.pk != first.pk and late.pk in stored_hits(second)
    assert RuleEvaluation.objects.count() == 1  # the older one is gone
    # the rules change
    update_rules(acting_user=org.otto, potential_enabled=False)
    third = current_evaluation(tomorrow)
    assert third.pk != second.pk and late.pk not in stored_hits(third)


def test_candidates_from_the_stored_evaluation_equal_a_fresh_evaluation(org):
    product = make_product("P1")
    big = make_account(org.alice, name="Big")
    make_revenue_line(big, product, invoiced_on=timezone.localdate(), amount=Decimal("2e6"))
    make_account(org.bob, name="Strategic", is_strategic=True)
    make_account(org.kim, name="Lapsed", tier=Tier.KEY_ACCOUNT)
    kept = candidates(org.hanna)
    fresh = candidates(org.hanna, fresh=True)

    def shape(found):
        return (
            [(c.account.pk, c.reasons) for c in found.qualifying],
            [c.account.pk for c in found.lapsed],
        )

    assert shape(kept) == shape(fresh)
    assert [c.account.name for c in kept.qualifying] == ["Big", "Strategic"]
    assert [c.account.name for c in kept.lapsed] == ["Lapsed"]


def test_the_page_is_paged_and_says_when_the_rules_were_evaluated(org):
    for n in range(55):
        make_account(org.alice, name=f"Strategic {n:02d}", is_strategic=True)
    client = client_for(org.hanna)
    first = client.get("/key-accounts/")
    assert len(first.context["qualifying"]) == 50
    html = first.content.decode()
    assert "Candidates (55)" in html
    assert "Rules evaluated for every account on" in html
    assert 'data-action="evaluate"' not in html  # not an admin
    second = client.get("/key-accounts/?page=2")
    assert [c.account.name for c in second.context["qualifying"]] == [
        f"Strategic {n:02d}" for n in range(50, 55)
    ]
    german = client_for(org.hanna, "de").get("/key-accounts/").content.decode()
    assert "Regeln für alle Kunden ausgewertet am" in german
    assert "Kandidaten (55)" in german


def test_only_admins_evaluate_again(org):
    make_account(org.alice, name="Strategic", is_strategic=True)
    first = current_evaluation()
    assert client_for(org.hanna).post("/key-accounts/evaluate/").status_code == 403
    assert current_evaluation().pk == first.pk
    admin = client_for(org.otto)
    assert 'data-action="evaluate"' in admin.get("/key-accounts/").content.decode()
    late = make_account(org.bob, name="Late", is_strategic=True)
    response = admin.post("/key-accounts/evaluate/")
    assert response.status_code == 302
    assert current_evaluation().pk != first.pk
    assert late.pk in stored_hits(current_evaluation())


@pytest.mark.parametrize("persona", ["alice", "mona", "sam", "kim"])
def test_the_stored_evaluation_keeps_each_role_to_their_accounts(org, persona):
    mine = make_account(org.alice, name="Alice strategic", is_strategic=True)
    bobs = make_account(org.bob, name="Bob strategic", is_strategic=True)
    user = getattr(org, persona)
    seen = {c.account.pk for c in candidates(user).qualifying}
    expected = {
        "alice": {mine.pk},
        "mona": {mine.pk},
        "sam": {bobs.pk},
        "kim": {mine.pk, bobs.pk},
    }[persona]
    assert seen == expected
