"""The account-plan demo rows on top of the demo organisation at scale 1."""

import datetime

from tandem.accountplans.models import AccountPlan, PlanAction
from tandem.accountplans.selectors import key_accounts_without_plan, qbr_pack, visible_plans
from tandem.accounts.models import Account, Tier
from tandem.core.periods import Period
from tandem.demo.accountplans import build_demo
from tandem.demo.generator import build_demo as build_core_demo
from tandem.users.models import User

TODAY = datetime.date(2026, 6, 15)


def test_demo_plans_for_most_key_accounts(db):
    build_core_demo(scale=1, seed=1, today=TODAY)
    counts = build_demo(TODAY)
    keys = Account.objects.filter(tier=Tier.KEY_ACCOUNT)
    this_year = AccountPlan.objects.filter(year=2026)
    assert counts["account_plans"] == AccountPlan.objects.count() > 0
    assert counts["plan_actions"] == PlanAction.objects.count() > 0
    assert this_year.count() >= keys.count() * 3 // 4  # most key accounts
    assert this_year.count() < keys.count()  # some are missing: the conflict has rows
    for plan in this_year.prefetch_related("actions", "reviews"):
        assert all(a.due_on.year == 2026 for a in plan.actions.all())
        assert all(r.review_on.year == 2026 for r in plan.reviews.all())
        assert all(a.note for a in plan.actions.all() if a.status == "blocked")
    # idempotent
    assert build_demo(TODAY)["account_plans"] == 0
    # the pages have something to show
    head = User.objects.get(username="head")
    assert visible_plans(head).filter(year=2026).exists()
    assert key_accounts_without_plan(head, 2026).exists()
    kam = User.objects.get(username="kam")
    plan = AccountPlan.objects.filter(account__owner=kam, year=2026).first()
    assert plan is not None
    pack = qbr_pack(plan.account, Period.parse("2026Q1"), today=TODAY)
    assert pack["plan"] == plan
    assert pack["revenue"]["trend"]
