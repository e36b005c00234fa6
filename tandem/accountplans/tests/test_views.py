"""The account-plan pages, per role, in English and German."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accountplans.models import AccountPlan, PlanAction
from tandem.accountplans.services import add_action, create_plan, update_action
from tandem.accountplans.tests.conftest import YEAR, client_for
from tandem.accounts.models import Tier
from tandem.users.models import Role
from testsupport.builders import make_account, make_user


@pytest.fixture
def other_key_account(org):
    """A key account of a second KAM, without a plan."""
    kai = make_user("kai", Role.KEY_ACCOUNT_MANAGER)
    return make_account(kai, name="Kai Industries", tier=Tier.KEY_ACCOUNT)


def listed(response) -> dict[str, bool]:
    """{account name: has a plan} of the list page: its plans and the key accounts without."""
    plans = {plan.account.name: True for plan in response.context["page_obj"]}
    return plans | {account.name: False for account in response.context["missing_accounts"]}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("kim", {"Hafenwerk Nord": True}),
        ("mona", {"Hafenwerk Nord": True}),  # alice has a deal on it: visible to her manager
        ("sam", {}),
        ("alice", {}),
        ("bob", {}),
        ("hanna", {"Hafenwerk Nord": True, "Kai Industries": False}),
        ("otto", {"Hafenwerk Nord": True, "Kai Industries": False}),
    ],
)
def test_the_list_is_scoped_per_role(org, plan, other_key_account, persona, expected):
    response = client_for(getattr(org, persona)).get(f"/key-accounts/plans/?year={YEAR}")
    assert response.status_code == 200
    assert listed(response) == expected


def test_the_missing_plan_filter(org, plan, other_key_account):
    hanna = client_for(org.hanna)
    missing = hanna.get(f"/key-accounts/plans/?year={YEAR}&show=missing")
    assert listed(missing) == {"Kai Industries": False}
    assert f'data-missing="{other_key_account.pk}"' in missing.content.decode()
    planned = hanna.get(f"/key-accounts/plans/?year={YEAR}&show=planned")
    assert listed(planned) == {"Hafenwerk Nord": True}
    next_year = hanna.get(f"/key-accounts/plans/?year={YEAR + 1}")
    assert listed(next_year) == {"Hafenwerk Nord": False, "Kai Industries": False}


def test_the_list_counts_actions(org, plan):
    update_action(plan.actions.get(title="Sensor pilot"), acting_user=org.kim, status="done")
    response = client_for(org.kim).get(f"/key-accounts/plans/?year={YEAR}")
    row = response.context["page_obj"][0]
    actions = list(PlanAction.objects.filter(plan=plan))
    assert row.actions_total == len(actions)
    assert row.actions_done == sum(1 for a in actions if a.status == "done")
    assert row.actions_open == sum(1 for a in actions if a.status == "open")


def test_the_chart_counts_actions_per_status(org, plan):
    add_action(
        plan,
        acting_user=org.kim,
        title="Blocked one",
        function="legal",
        owner=org.kim,
        due_on=datetime.date(YEAR, 8, 1),
        status="blocked",
        note="Waiting",
    )
    chart = client_for(org.kim).get(f"/key-accounts/plans/?year={YEAR}").context["chart"]
    assert chart["accounts"] == ["Hafenwerk Nord"]
    by_status = {s["status"]: s["data"][0] for s in chart["series"]}
    statuses = [a.status for a in PlanAction.objects.filter(plan=plan)]
    assert by_status == {status: statuses.count(status) for status in by_status}
    assert sum(by_status.values()) == len(statuses)


def test_only_editors_are_offered_to_create(org, plan, other_key_account):
    hanna = client_for(org.hanna).get(f"/key-accounts/plans/?year={YEAR}").content.decode()
    assert 'data-action="new-plan"' in hanna and 'data-action="create"' in hanna
    mona = client_for(org.mona).get(f"/key-accounts/plans/?year={YEAR + 1}").content.decode()
    assert 'data-action="new-plan"' not in mona and 'data-action="create"' not in mona


def test_the_list_in_german(org, plan, other_key_account):
    page = client_for(org.hanna, "de").get(f"/key-accounts/plans/?year={YEAR}").content.decode()
    assert "Account-Pläne 2026" in page
    assert "ohne Plan" in page
    assert "12,5 %" in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [("kim", 200), ("hanna", 200), ("mona", 200), ("sam", 404), ("alice", 404), ("bob", 404)],
)
def test_plan_detail_per_role(org, plan, persona, status):
    response = client_for(getattr(org, persona)).get(f"/key-accounts/plans/{plan.pk}/")
    assert response.status_code == status


def test_create_a_plan_through_the_form(org, key_account, products):
    kim = client_for(org.kim)
    form = kim.get(f"/key-accounts/plans/new/?account={key_account.pk}&year={YEAR}")
    assert form.status_code == 200
    response = kim.post(
        "/key-accounts/plans/new/",
        {
            "account": key_account.pk,
            "year": YEAR,
            "objectives": "Double the service revenue.",
            "growth_target_percent": "20",
            "whitespace": [products["sensor"].pk],
            "risks": "",
            "review_dates": "2026-03-31, 30.06.2026",
        },
    )
    plan = AccountPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/key-accounts/plans/{plan.pk}/"
    assert [r.review_on for r in plan.reviews.all()] == [
        datetime.date(2026, 3, 31),
        datetime.date(2026, 6, 30),
    ]
    again = kim.post(
        "/key-accounts/plans/new/",
        {"account": key_account.pk, "year": YEAR, "objectives": "x", "growth_target_percent": "1"},
    )
    assert again.status_code == 200
    assert "already has an account plan for 2026" in again.content.decode()


def test_a_bad_review_date_in_german(org, key_account):
    response = client_for(org.kim, "de").post(
        "/key-accounts/plans/new/",
        {
            "account": key_account.pk,
            "year": YEAR,
            "objectives": "x",
            "growth_target_percent": "1",
            "review_dates": "2027-01-15",
        },
    )
    assert response.status_code == 200
    assert "Überprüfungstermine müssen im Planjahr 2026 liegen" in response.content.decode()
    assert not AccountPlan.objects.exists()


def test_reps_and_other_managers_cannot_create(org, key_account):
    assert client_for(org.alice).get("/key-accounts/plans/new/").status_code == 403
    response = client_for(org.mona).post(
        "/key-accounts/plans/new/",
        {"account": key_account.pk, "year": YEAR, "objectives": "x", "growth_target_percent": "1"},
    )
    # mona sees the account but manages nobody who owns it: it is not offered
    assert response.status_code == 403 or "account" in response.context["form"].errors
    assert not AccountPlan.objects.exists()


def test_edit_the_plan(org, plan, products):
    kim = client_for(org.kim)
    assert kim.get(f"/key-accounts/plans/{plan.pk}/edit/").status_code == 200
    response = kim.post(
        f"/key-accounts/plans/{plan.pk}/edit/",
        {
            "objectives": "New objectives",
            "growth_target_percent": "8",
            "whitespace": [products["drive"].pk],
            "risks": "",
            "review_dates": "",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.objectives == "New objectives"
    assert plan.growth_target_percent == Decimal("8.0")
    assert list(plan.whitespace.all()) == [products["drive"]]
    assert not plan.reviews.exists()
    assert client_for(org.mona).get(f"/key-accounts/plans/{plan.pk}/edit/").status_code == 403


def test_add_an_action_inline_with_htmx(org, plan):
    kim = client_for(org.kim)
    response = kim.post(
        f"/key-accounts/plans/{plan.pk}/actions/",
        {
            "title": "Price workshop",
            "function": "finance",
            "owner": org.hanna.pk,
            "due_on": "2026-10-01",
            "status": "open",
            "note": "",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "Price workshop" in response.content.decode()
    assert plan.actions.filter(title="Price workshop", owner=org.hanna).exists()
    refused = kim.post(
        f"/key-accounts/plans/{plan.pk}/actions/",
        {
            "title": "Too late",
            "function": "finance",
            "owner": org.kim.pk,
            "due_on": "2027-01-02",
            "status": "open",
        },
        headers={"HX-Request": "true"},
    )
    assert "The due date must lie in the plan year 2026." in refused.content.decode()
    assert not plan.actions.filter(title="Too late").exists()


def test_move_an_action_status_inline(org, plan):
    action = plan.actions.get(owner=org.alice)
    # alice owns the action: she may move it, though she does not see the plan
    alice = client_for(org.alice)
    assert alice.get(f"/key-accounts/plans/{plan.pk}/").status_code == 404
    response = alice.post(
        f"/key-accounts/plans/actions/{action.pk}/status/",
        {"status": "blocked", "note": ""},
        headers={"HX-Request": "true"},
    )
    assert "Say what blocks this action." in response.content.decode()
    action.refresh_from_db()
    assert action.status == "in_progress"
    response = alice.post(
        f"/key-accounts/plans/actions/{action.pk}/status/",
        {"status": "blocked", "note": "Legal review"},
        headers={"HX-Request": "true"},
    )
    assert 'data-status="blocked"' in response.content.decode()
    other = plan.actions.get(owner=org.kim)
    bob = client_for(org.bob)
    assert (
        bob.post(f"/key-accounts/plans/actions/{other.pk}/status/", {"status": "done"}).status_code
        == 404
    )


def test_your_open_actions_on_the_list(org, plan):
    """alice owns an action of kim's plan: she sees it on the list (not the plan) and moves
    it from there."""
    action = plan.actions.get(owner=org.alice)
    alice = client_for(org.alice)
    response = alice.get("/key-accounts/plans/")
    assert [a.pk for a in response.context["my_actions"]] == [action.pk]
    assert listed(response) == {}
    moved = alice.post(
        f"/key-accounts/plans/actions/{action.pk}/status/",
        {"status": "done", "note": "", "next": "list"},
    )
    assert moved.status_code == 302 and moved["Location"] == "/key-accounts/plans/"
    action.refresh_from_db()
    assert action.status == "done"
    assert alice.get("/key-accounts/plans/").context["my_actions"] == []


def test_delete_action_and_plan(org, plan):
    kim = client_for(org.kim)
    action = plan.actions.first()
    assert kim.post(f"/key-accounts/plans/actions/{action.pk}/delete/").status_code == 302
    assert not PlanAction.objects.filter(pk=action.pk).exists()
    assert client_for(org.mona).post(f"/key-accounts/plans/{plan.pk}/delete/").status_code == 302
    assert AccountPlan.objects.filter(pk=plan.pk).exists()  # refused: mona may only read
    assert kim.post(f"/key-accounts/plans/{plan.pk}/delete/").status_code == 302
    assert not AccountPlan.objects.filter(pk=plan.pk).exists()


def test_plan_detail_in_german(org, plan):
    page = client_for(org.kim, "de").get(f"/key-accounts/plans/{plan.pk}/").content.decode()
    assert "Maßnahmen für interne Teams" in page
    assert "12,5 %" in page
    assert "Produktmanagement" in page


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_and_the_qbr_do_not_grow_queries_with_plans(org, plan, key_account):
    def more_plans(count):
        for _ in range(count):
            account = make_account(org.kim, tier=Tier.KEY_ACCOUNT)
            extra = create_plan(
                account, YEAR, acting_user=org.kim, objectives="x", growth_target_percent=1
            )
            add_action(
                extra,
                acting_user=org.kim,
                title="t",
                function="sales",
                owner=org.kim,
                due_on=datetime.date(YEAR, 3, 1),
            )
            make_account(org.kim, tier=Tier.KEY_ACCOUNT)  # one without a plan

    kim, url = client_for(org.kim), f"/key-accounts/plans/?year={YEAR}"
    more_plans(2)
    few = count_queries(kim, url)
    more_plans(6)
    assert count_queries(kim, url) == few
    qbr = f"/key-accounts/plans/qbr/{key_account.pk}/?period=2026Q3"
    before = count_queries(kim, qbr)
    add_action(
        plan,
        acting_user=org.kim,
        title="one more",
        function="sales",
        owner=org.bob,
        due_on=datetime.date(YEAR, 3, 1),
    )
    assert count_queries(kim, qbr) == before


@pytest.mark.parametrize("year", ["1999", "2101", "soon"])
def test_a_year_out_of_range_lists_nothing_and_says_so(org, plan, other_key_account, year):
    response = client_for(org.hanna, "de").get("/key-accounts/plans/", {"year": year})
    assert response.status_code == 200
    assert listed(response) == {}
    assert "year" in response.context["filters"].errors
    page = response.content.decode()
    assert 'class="form-errors"' in page and "Jahr:" in page
    assert ">Filtern</button>" in page


def test_the_list_sorts_and_exports_its_plans(org, plan, other_key_account):
    hanna = client_for(org.hanna)
    create_plan(
        other_key_account,
        YEAR,
        acting_user=org.hanna,
        objectives="Keep them",
        growth_target_percent=Decimal("40"),
    )
    by_growth = hanna.get("/key-accounts/plans/", {"year": YEAR, "sort": "-growth_target"})
    growth = [p.growth_target_percent for p in by_growth.context["page_obj"]]
    assert growth == sorted(growth, reverse=True) and len(growth) == 2
    exported = hanna.get("/key-accounts/plans/", {"year": YEAR, "export": "csv"})
    assert b"".join(exported.streaming_content).decode().count("\n") == 3  # header and 2 plans
