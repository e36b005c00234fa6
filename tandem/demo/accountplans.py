"""Demo account plans on top of the demo organisation.

Most demo key accounts (four in five) get a plan for this year and last year, so the plan
list, the QBR packs and the ownership report ("key accounts without a plan") all have
something to show. Each plan has objectives, a growth target, two or three whitespace
products the account has not bought, a review at the end of each quarter, and four to six
actions whose status fits their due date (past ones mostly done, a few blocked or overdue).
Deterministic (same demo, same rows) and idempotent: an account that has a plan for a year
keeps it.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from tandem.accountplans.models import AccountPlan, ActionStatus, PlanAction
from tandem.accountplans.services import add_plans_in_bulk
from tandem.accounts.models import Tier
from tandem.catalog.models import Product
from tandem.demo.marks import demo_accounts, demo_users
from tandem.revenue.models import RevenueLine
from tandem.users.models import Role

OBJECTIVES = [
    "Become their preferred supplier for all sites in the region.",
    "Grow the service business alongside the installed base.",
    "Win the framework agreement that is up for tender this year.",
    "Reach the new plant's purchasing team before the build-out.",
    "Move from single purchases to a yearly volume contract.",
]
RISKS = [
    "A competitor offers lower prices on the core line.",
    "The champion in purchasing is retiring this year.",
    "Budget freeze announced by their new CFO.",
    "",
    "Quality complaints from the last delivery are still open.",
]
ACTIONS = [
    ("Executive sponsor meeting", "management"),
    ("Joint roadmap workshop", "product"),
    ("Tailored service offer", "service"),
    ("Case study with their plant manager", "marketing"),
    ("Delivery schedule for the new site", "delivery"),
    ("Price and terms review", "finance"),
    ("Framework contract draft", "legal"),
    ("Cross-sell demo for the engineering team", "sales"),
]
BLOCKERS = ["Waiting for their legal department.", "Budget not released yet."]


def build_demo(today: datetime.date) -> dict[str, int]:
    key_accounts = list(
        demo_accounts().filter(tier=Tier.KEY_ACCOUNT).select_related("owner").order_by("pk")
    )
    products = list(Product.objects.filter(is_active=True).order_by("code"))
    helpers = list(
        demo_users()
        .filter(is_active=True)
        .exclude(role=Role.SALES_REP)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    bought: dict[int, set[int]] = {}
    for account_id, product_id in (
        RevenueLine.objects.filter(account__in=[a.pk for a in key_accounts])
        .values_list("account_id", "product_id")
        .distinct()
    ):
        bought.setdefault(account_id, set()).add(product_id)
    years = [today.year - 1, today.year]
    existing = set(
        AccountPlan.objects.filter(account__in=key_accounts, year__in=years).values_list(
            "account_id", "year"
        )
    )
    plans, whitespace, reviews, actions = [], [], [], []
    for index, account in enumerate(key_accounts):
        if index % 5 == 4:  # one in five key accounts has no plan: a conflict to show
            continue
        for year in years:
            if (account.pk, year) in existing:
                continue
            rng = random.Random(f"plan-{account.pk}-{year}")
            plan = AccountPlan(
                account=account,
                year=year,
                objectives=rng.choice(OBJECTIVES),
                growth_target_percent=Decimal(rng.randrange(30, 250)) / 10,
                risks=rng.choice(RISKS),
                created_by=account.owner,
            )
            plans.append(plan)
            candidates = [p for p in products if p.pk not in bought.get(account.pk, set())]
            chosen = rng.sample(candidates, min(len(candidates), rng.randint(2, 3)))
            reviews_on = [datetime.date(year, m, d) for m, d in ((3, 31), (6, 30), (9, 30))]
            reviews_on.append(datetime.date(year, 12, 15))
            steps = rng.sample(ACTIONS, rng.randint(4, 6))
            planned = []
            for title, function in steps:
                due = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(20, 350))
                owner = account.owner_id if rng.random() < 0.5 or not helpers else None
                owner = owner or rng.choice(helpers)
                if due < today:
                    status = rng.choices(
                        [ActionStatus.DONE, ActionStatus.BLOCKED, ActionStatus.IN_PROGRESS],
                        [80, 8, 12],
                    )[0]
                else:
                    status = rng.choices([ActionStatus.OPEN, ActionStatus.IN_PROGRESS], [60, 40])[0]
                planned.append(
                    PlanAction(
                        title=title,
                        function=function,
                        owner_id=owner,
                        due_on=due,
                        status=status,
                        note=rng.choice(BLOCKERS) if status == ActionStatus.BLOCKED else "",
                        completed_on=min(due, today) if status == ActionStatus.DONE else None,
                    )
                )
            whitespace.append(chosen)
            reviews.append(reviews_on)
            actions.append(planned)
    add_plans_in_bulk(plans, whitespace, reviews, actions)
    return {
        "account_plans": len(plans),
        "plan_actions": sum(len(planned) for planned in actions),
        "plan_reviews": sum(len(days) for days in reviews),
    }
