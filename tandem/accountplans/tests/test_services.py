"""The rules of account plans and their actions, and the refusals with nothing changed."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tandem.accountplans.models import AccountPlan, ActionStatus, PlanAction
from tandem.accountplans.services import (
    add_action,
    create_plan,
    delete_action,
    delete_plan,
    update_action,
    update_plan,
)
from tandem.accountplans.tests.conftest import YEAR
from tandem.accounts.models import Tier
from tandem.audit.models import AuditEvent
from tandem.core.errors import DomainError
from testsupport.builders import make_account, make_user


def plan_data(**extra):
    return {"objectives": "Grow.", "growth_target_percent": Decimal("10"), **extra}


def test_a_plan_with_whitespace_reviews_and_an_audit_row(org, plan, products):
    assert plan.year == YEAR
    assert set(plan.whitespace.all()) == {products["sensor"], products["drive"]}
    assert [r.review_on.month for r in plan.reviews.all()] == [3, 9]
    event = AuditEvent.objects.get(action="accountplan.created", object_id=str(plan.pk))
    assert event.actor == org.kim
    assert event.changes["year"] == YEAR
    assert AuditEvent.objects.filter(action="accountplan.action_added").count() == 2


def test_one_plan_per_account_and_year(org, plan, key_account):
    with pytest.raises(DomainError) as refused:
        create_plan(key_account, YEAR, acting_user=org.kim, **plan_data())
    assert refused.value.field == "year"
    assert "already has an account plan for 2026" in refused.value.message
    assert AccountPlan.objects.count() == 1
    create_plan(key_account, YEAR + 1, acting_user=org.kim, **plan_data())
    assert AccountPlan.objects.count() == 2


def test_the_database_refuses_a_second_plan_too(org, plan, key_account):
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountPlan.objects.create(
            account=key_account, year=YEAR, objectives="x", growth_target_percent=1
        )


def test_plans_are_for_key_accounts_only(org):
    standard = make_account(org.alice, name="Standard GmbH")
    with pytest.raises(DomainError) as refused:
        create_plan(standard, YEAR, acting_user=org.alice, **plan_data())
    assert refused.value.field == "account"
    assert "Standard GmbH" in refused.value.message
    assert not AccountPlan.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"objectives": "   "}, "objectives"),
        ({"growth_target_percent": Decimal("-101")}, "growth_target_percent"),
        ({"growth_target_percent": Decimal("1000.1")}, "growth_target_percent"),
        ({"growth_target_percent": "lots"}, "growth_target_percent"),
        ({"review_dates": [datetime.date(YEAR + 1, 1, 15)]}, "review_dates"),
    ],
)
def test_bad_plan_input_is_refused(org, key_account, changes, field):
    with pytest.raises(DomainError) as refused:
        create_plan(key_account, YEAR, acting_user=org.kim, **{**plan_data(), **changes})
    assert refused.value.field == field
    assert not AccountPlan.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="accountplan").exists()


def test_a_bad_year_is_refused(org, key_account):
    with pytest.raises(DomainError) as refused:
        create_plan(key_account, 1999, acting_user=org.kim, **plan_data())
    assert refused.value.field == "year"


def test_a_product_no_longer_sold_cannot_be_added(org, key_account, products, plan):
    products["drive"].is_active = False
    products["drive"].save()
    # it stays on the plan it was chosen for …
    update_plan(plan, acting_user=org.kim, whitespace=[products["drive"]])
    assert list(plan.whitespace.all()) == [products["drive"]]
    # … but a new plan cannot pick it
    with pytest.raises(DomainError) as refused:
        create_plan(
            key_account, YEAR + 1, acting_user=org.kim, **plan_data(whitespace=[products["drive"]])
        )
    assert refused.value.field == "whitespace"


@pytest.mark.parametrize("persona", ["alice", "bob", "mona", "sam"])
def test_only_the_owner_their_manager_and_the_head_may_write(org, key_account, persona):
    with pytest.raises(DomainError):
        create_plan(key_account, YEAR, acting_user=getattr(org, persona), **plan_data())
    assert not AccountPlan.objects.exists()


def test_the_head_of_sales_and_admins_may_write(org, key_account):
    create_plan(key_account, YEAR, acting_user=org.hanna, **plan_data())
    create_plan(key_account, YEAR + 1, acting_user=org.otto, **plan_data())
    assert AccountPlan.objects.count() == 2


def test_the_owners_sales_manager_may_write(org):
    account = make_account(org.alice, name="Alice key", tier=Tier.KEY_ACCOUNT)
    create_plan(account, YEAR, acting_user=org.mona, **plan_data())
    with pytest.raises(DomainError):
        create_plan(account, YEAR + 1, acting_user=org.sam, **plan_data())


def test_update_records_only_what_changed(org, plan):
    update_plan(plan, acting_user=org.kim, objectives=plan.objectives, risks=plan.risks)
    assert not AuditEvent.objects.filter(action="accountplan.updated").exists()
    update_plan(
        plan,
        acting_user=org.kim,
        growth_target_percent=Decimal("15"),
        review_dates=[datetime.date(YEAR, 6, 30)],
    )
    plan.refresh_from_db()
    assert plan.growth_target_percent == Decimal("15.0")
    assert [r.review_on for r in plan.reviews.all()] == [datetime.date(YEAR, 6, 30)]
    event = AuditEvent.objects.get(action="accountplan.updated")
    assert event.changes["growth_target_percent"] == ["12.5", "15.0"]
    assert event.changes["review_dates"] == ["2026-06-30"]


def test_account_and_year_cannot_change(org, plan):
    with pytest.raises(DomainError):
        update_plan(plan, acting_user=org.kim, year=YEAR + 1)


def test_delete_plan_with_its_actions(org, plan):
    with pytest.raises(DomainError):
        delete_plan(plan, acting_user=org.alice)
    delete_plan(plan, acting_user=org.kim)
    assert not AccountPlan.objects.exists()
    assert not PlanAction.objects.exists()
    assert AuditEvent.objects.filter(action="accountplan.deleted").exists()


# --- actions -------------------------------------------------------------------------------


def action_data(org, **extra):
    return {
        "title": "Workshop",
        "function": "marketing",
        "owner": org.kim,
        "due_on": datetime.date(YEAR, 7, 1),
        **extra,
    }


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"due_on": datetime.date(YEAR + 1, 1, 1)}, "due_on", "plan year 2026"),
        ({"due_on": datetime.date(YEAR - 1, 12, 31)}, "due_on", "plan year 2026"),
        ({"due_on": None}, "due_on", "due date"),
        ({"title": "  "}, "title", "what is to be done"),
        ({"function": "astrology"}, "function", "Choose one of"),
        ({"owner": None}, "owner", "owner"),
        ({"status": "blocked"}, "note", "what blocks"),
        ({"status": "maybe"}, "status", "Choose one of"),
    ],
)
def test_bad_actions_are_refused(org, plan, changes, field, words):
    before = plan.actions.count()
    with pytest.raises(DomainError) as refused:
        add_action(plan, acting_user=org.kim, **action_data(org, **changes))
    assert refused.value.field == field
    assert words in refused.value.message
    assert plan.actions.count() == before


def test_an_inactive_owner_is_refused(org, plan):
    gone = make_user("gone", is_active=False)
    with pytest.raises(DomainError) as refused:
        add_action(plan, acting_user=org.kim, **action_data(org, owner=gone))
    assert refused.value.field == "owner"
    assert "no longer active" in refused.value.message


def test_an_owner_who_left_stays_on_an_old_action(org, plan):
    action = add_action(plan, acting_user=org.kim, **action_data(org, owner=org.bob))
    org.bob.is_active = False
    org.bob.save()
    update_action(action, acting_user=org.kim, title="Workshop in Hamburg")
    action.refresh_from_db()
    assert (action.title, action.owner) == ("Workshop in Hamburg", org.bob)
    with pytest.raises(DomainError):
        update_action(action, acting_user=org.kim, owner=make_user("left", is_active=False))


def test_status_flow_with_done_day_and_blocked_note(org, plan):
    action = plan.actions.get(title="Sensor pilot")
    with pytest.raises(DomainError) as refused:
        update_action(action, acting_user=org.kim, status=ActionStatus.BLOCKED)
    assert refused.value.field == "note"
    update_action(action, acting_user=org.kim, status="blocked", note="Waiting for legal")
    update_action(action, acting_user=org.kim, status="done")
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on is not None
    update_action(action, acting_user=org.kim, status="in_progress")
    action.refresh_from_db()
    assert action.completed_on is None
    steps = AuditEvent.objects.filter(action="accountplan.action_updated", object_id=str(action.pk))
    assert [e.changes["status"][1] for e in steps.order_by("pk")] == [
        "blocked",
        "done",
        "in_progress",
    ]


def test_the_action_owner_may_move_status_but_not_more(org, plan):
    action = plan.actions.get(owner=org.alice)
    update_action(action, acting_user=org.alice, status="done", note="Sent")
    action.refresh_from_db()
    assert action.status == "done"
    with pytest.raises(DomainError):
        update_action(action, acting_user=org.alice, title="Mine now")
    with pytest.raises(DomainError):
        update_action(action, acting_user=org.bob, status="open")


def test_delete_action(org, plan):
    action = plan.actions.first()
    with pytest.raises(DomainError):
        delete_action(action, acting_user=org.alice)
    delete_action(action, acting_user=org.kim)
    assert not PlanAction.objects.filter(pk=action.pk).exists()
    assert AuditEvent.objects.filter(action="accountplan.action_deleted").exists()
