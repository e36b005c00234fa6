"""Demo compensation: a plan for each role, a personal plan for the demo rep, the default
salary bands. Built through the services (audited as the demo admin), deterministic and
idempotent: a role that already has a plan is left alone."""

from __future__ import annotations

import datetime
from decimal import Decimal

from tandem.compensation.defaults import default_bands
from tandem.compensation.models import CompensationPlan
from tandem.compensation.services import add_missing_salary_bands, save_plan
from tandem.users.models import Role, User


def _curve(threshold, threshold_payout, accelerator, cap) -> dict:
    return {
        "threshold": Decimal(threshold),
        "target": Decimal(1),
        "threshold_payout": Decimal(threshold_payout),
        "accelerator": Decimal(accelerator),
        "cap": Decimal(cap),
    }


# role: (name, base pay, variable at 100 %, components)
PLANS = {
    Role.SALES_REP: (
        "Sales reps",
        "52000",
        "28000",
        [
            {"metric": "won_value", "weight": 70, **_curve("0.5", "0.25", "2", "2")},
            {"metric": "new_customers", "weight": 20, **_curve("0.5", "0.25", "1", "1.5")},
            {"metric": "deals_won", "weight": 10, **_curve("0.5", "0.5", "0.5", "1.25")},
        ],
    ),
    Role.SALES_MANAGER: (
        "Sales Managers",
        "90000",
        "40000",
        [
            {"metric": "won_value", "weight": 60, **_curve("0.6", "0.3", "1.5", "1.8")},
            {"metric": "new_customers", "weight": 40, **_curve("0.5", "0.25", "1", "1.5")},
        ],
    ),
    Role.KEY_ACCOUNT_MANAGER: (
        "Key Account Managers",
        "80000",
        "30000",
        [
            {
                "metric": "account_growth",
                "weight": 50,
                "kpi_target": Decimal("0.08"),
                **_curve("0", "0", "1", "1.8"),
            },
            {
                "metric": "renewal_rate",
                "weight": 30,
                "kpi_target": Decimal("0.9"),
                **_curve("0.8", "0.5", "2", "1.5"),
            },
            {
                "metric": "cross_selling",
                "weight": 20,
                "kpi_target": Decimal("0.25"),
                **_curve("0.4", "0.25", "1", "1.5"),
            },
        ],
    ),
    Role.HEAD_OF_SALES: (
        "Head of Sales",
        "140000",
        "60000",
        [
            {"metric": "won_value", "weight": 80, **_curve("0.7", "0.4", "1.5", "1.6")},
            {"metric": "new_customers", "weight": 20, **_curve("0.5", "0.25", "1", "1.5")},
        ],
    ),
}


def build_demo(today: datetime.date) -> dict[str, int]:
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    admin = admin or User.objects.filter(is_superuser=True).order_by("pk").first()
    start = datetime.date(today.year - 3, 1, 1)
    plans = 0
    for role, (name, base, variable, components) in PLANS.items():
        if CompensationPlan.objects.filter(role=role, user__isnull=True).exists():
            continue
        save_plan(
            None,
            acting_user=admin,
            name=name,
            role=role,
            valid_from=start,
            valid_to=None,
            base_pay=Decimal(base),
            variable_target=Decimal(variable),
            components=components,
            level="professional",
        )
        plans += 1
    rep = User.objects.filter(username="rep", role=Role.SALES_REP).first()
    if rep is not None and not CompensationPlan.objects.filter(user=rep).exists():
        name, _base, _variable, components = PLANS[Role.SALES_REP]
        save_plan(
            None,
            acting_user=admin,
            name=f"{name}: senior ({rep.username}) {today.year}",
            user=rep,
            role=None,
            valid_from=datetime.date(today.year, 1, 1),
            valid_to=datetime.date(today.year, 12, 31),
            base_pay=Decimal("68000"),
            variable_target=Decimal("34000"),
            components=components,
            level="senior",
        )
        plans += 1
    bands = add_missing_salary_bands(default_bands())
    return {"compensation_plans": plans, "salary_bands_added": bands}


def delete_demo() -> None:
    """The demo's role plans (they point at no demo user, so the core's delete_demo would
    keep them); personal plans go with their person. Salary bands are reference data: kept."""
    names = [name for name, _base, _variable, _components in PLANS.values()]
    CompensationPlan.objects.filter(user__isnull=True, name__in=names).delete()
