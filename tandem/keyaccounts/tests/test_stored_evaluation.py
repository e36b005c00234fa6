"""The stored company-wide evaluation of the key-account rules: the same as evaluating now,
made again by a job each day and whenever the rules change, paged on the candidates page,
which only reads it."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from tandem.accounts.models import Tier
from tandem.jobs.models import Job, JobStatus
from tandem.keyaccounts.models import KeyAccountRules, RuleEvaluation, RuleHit
from tandem.keyaccounts.selectors import (
    candidates,
    current_evaluation,
    evaluate_rules,
    is_up_to_date,
    stored_hits,
)
from tandem.keyaccounts.services import evaluate_and_store, update_rules
from tandem.keyaccounts.tests.test_rules import TODAY, retail  # noqa: F401 (fixture)
from tandem.users.services import create_api_token
from testsupport.builders import PASSWORD, make_account, make_product, make_revenue_line
from testsupport.jobs import run_queued


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


def test_a_read_never_evaluates_and_changed_rules_are_evaluated_again_by_a_job(org):
    make_account(org.alice, name="Strategic", is_strategic=True)
    today = timezone.localdate()
    assert current_evaluation() is None
    assert candidates(org.hanna).evaluation is None  # nothing kept: nothing evaluated here
    assert not RuleEvaluation.objects.exists()
    first = evaluate_and_store(today)  # the day's work
    assert current_evaluation().pk == first.pk and is_up_to_date(first, today)
    # data changed during the day: still the kept evaluation until the next one
    late = make_account(org.bob, name="Late", revenue_potential=Decimal("9e6"))
    assert late.pk not in stored_hits(current_evaluation())
    # a new day: the kept one is shown, no longer up to date, until the day's work
    tomorrow = today + datetime.timedelta(days=1)
    assert current_evaluation().pk == first.pk and not is_up_to_date(first, tomorrow)
    # the rules change: a job evaluates them again (it runs where a worker would)
    update_rules(acting_user=org.otto, potential_enabled=False)
    second = current_evaluation()
    assert second.pk != first.pk and is_up_to_date(second, today)
    assert Job.objects.get(kind="keyaccounts.evaluate").status == JobStatus.DONE
    assert RuleEvaluation.objects.count() == 1  # the older one is gone
    assert late.pk not in stored_hits(second)


def test_candidates_from_the_stored_evaluation_equal_a_fresh_evaluation(org):
    product = make_product("P1")
    big = make_account(org.alice, name="Big")
    make_revenue_line(big, product, invoiced_on=timezone.localdate(), amount=Decimal("2e6"))
    make_account(org.bob, name="Strategic", is_strategic=True)
    make_account(org.kim, name="Lapsed", tier=Tier.KEY_ACCOUNT)
    evaluate_and_store()
    kept = candidates(org.hanna)
    fresh = evaluate_rules(KeyAccountRules.current())
    assert {c.account.pk: c.reasons for c in kept.qualifying} == fresh
    assert [c.account.name for c in kept.qualifying] == ["Big", "Strategic"]
    assert [c.account.name for c in kept.lapsed] == ["Lapsed"]


def test_the_page_is_paged_and_says_when_the_rules_were_evaluated(org):
    for n in range(55):
        make_account(org.alice, name=f"Strategic {n:02d}", is_strategic=True)
    evaluation = evaluate_and_store()
    client = client_for(org.hanna)
    first = client.get("/key-accounts/")
    assert len(first.context["qualifying"]) == 50
    html = first.content.decode()
    assert "Candidates (55)" in html
    when = timezone.localtime(evaluation.evaluated_at)
    assert f"Rules evaluated for every account on {date_format(when, 'j M Y, H:i')};" in html
    assert 'data-action="evaluate"' not in html  # not an admin
    second = client.get("/key-accounts/?page=2")
    assert [c.account.name for c in second.context["qualifying"]] == [
        f"Strategic {n:02d}" for n in range(50, 55)
    ]
    german = client_for(org.hanna, "de").get("/key-accounts/").content.decode()
    with translation.override("de"):
        on = date_format(when, "DATETIME_FORMAT")
    assert f"Regeln für alle Kunden ausgewertet am {on};" in german
    assert "Kandidaten (55)" in german


def test_nothing_evaluated_yet_the_page_and_the_api_say_so_and_write_nothing(org):
    make_account(org.alice, name="Strategic", is_strategic=True)
    with CaptureQueriesContext(connection) as queries:
        page = client_for(org.hanna).get("/key-accounts/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Not evaluated yet." in html and 'id="candidates"' not in html
    assert 'data-action="evaluate"' not in html  # not an admin
    german = client_for(org.hanna, "de").get("/key-accounts/").content.decode()
    assert "Noch nicht ausgewertet." in german
    _token, raw = create_api_token(org.hanna, name="tests", acting_user=org.hanna)
    answer = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/key-accounts/candidates")
    assert answer.status_code == 202
    assert answer.json()["status"] == "not_evaluated" and answer.json()["job"] is None
    writes = [q["sql"] for q in queries.captured_queries if "keyaccounts_rule" in q["sql"]]
    assert all(sql.lstrip().upper().startswith("SELECT") for sql in writes)
    assert not RuleEvaluation.objects.exists()


def test_only_admins_evaluate_again(org):
    make_account(org.alice, name="Strategic", is_strategic=True)
    first = evaluate_and_store()
    assert client_for(org.hanna).post("/key-accounts/evaluate/").status_code == 403
    evaluations = Job.objects.filter(kind="keyaccounts.evaluate")
    assert current_evaluation().pk == first.pk and not evaluations.exists()
    admin = client_for(org.otto)
    assert 'data-action="evaluate"' in admin.get("/key-accounts/").content.decode()
    late = make_account(org.bob, name="Late", is_strategic=True)
    response = admin.post("/key-accounts/evaluate/")
    assert response.status_code == 302
    assert evaluations.get().requested_by == org.otto
    assert current_evaluation().pk != first.pk
    assert late.pk in stored_hits(current_evaluation())


def test_the_page_follows_the_evaluation_until_it_is_done(org, settings):
    """With a real queue the job waits for a worker: the page polls (reading only) until the
    new evaluation is there; the API names the job."""
    settings.JOBS_RUN_AT_ONCE = False
    make_account(org.alice, name="Strategic", is_strategic=True)
    admin = client_for(org.otto)
    admin.post("/key-accounts/evaluate/")
    job = Job.objects.get(kind="keyaccounts.evaluate")
    html = admin.get("/key-accounts/").content.decode()
    assert 'hx-trigger="every 2s"' in html and 'data-state="evaluating"' in html
    assert "Waiting for a worker to evaluate the rules" in html
    assert 'data-action="evaluate"' not in html
    _token, raw = create_api_token(org.otto, name="tests", acting_user=org.otto)
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    assert api.get("/api/key-accounts/candidates").json()["job"] == str(job.pk)
    run_queued()
    html = admin.get("/key-accounts/").content.decode()
    assert 'hx-trigger="every 2s"' not in html and 'data-state="up-to-date"' in html
    assert "Candidates (1)" in html


def test_the_api_asks_for_an_evaluation_for_admins_only(org, settings):
    settings.JOBS_RUN_AT_ONCE = False
    make_account(org.alice, name="Strategic", is_strategic=True)

    def api(user):
        _token, raw = create_api_token(user, name="tests", acting_user=user)
        return Client(headers={"Authorization": f"Bearer {raw}"})

    assert api(org.hanna).post("/api/key-accounts/candidates/evaluate").status_code == 403
    asked = api(org.otto).post("/api/key-accounts/candidates/evaluate")
    assert asked.status_code == 202 and asked.json()["kind"] == "keyaccounts.evaluate"
    run_queued()
    body = api(org.hanna).get("/api/key-accounts/candidates")
    assert body.status_code == 200 and body.json()["up_to_date"]
    assert [c["name"] for c in body.json()["qualifying"]] == ["Strategic"]


@pytest.mark.parametrize("persona", ["alice", "mona", "sam", "kim"])
def test_the_stored_evaluation_keeps_each_role_to_their_accounts(org, persona):
    mine = make_account(org.alice, name="Alice strategic", is_strategic=True)
    bobs = make_account(org.bob, name="Bob strategic", is_strategic=True)
    evaluate_and_store()
    user = getattr(org, persona)
    seen = {c.account.pk for c in candidates(user).qualifying}
    expected = {
        "alice": {mine.pk},
        "mona": {mine.pk},
        "sam": {bobs.pk},
        "kim": {mine.pk, bobs.pk},
    }[persona]
    assert seen == expected
