import datetime
from decimal import Decimal

import pytest

from tandem.compensation.services import save_plan
from tandem.core.periods import PeriodKind
from tandem.quotas.models import Quota, QuotaMetric
from testsupport.builders import make_account, make_deal

Q1 = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)


def curve(**overrides) -> dict:
    values = {
        "threshold": Decimal("0.5"),
        "target": Decimal("1"),
        "threshold_payout": Decimal("0.25"),
        "accelerator": Decimal("2"),
        "cap": Decimal("2"),
    }
    values.update({k: Decimal(str(v)) for k, v in overrides.items()})
    return values


def rep_components() -> list[dict]:
    return [
        {"metric": "won_value", "weight": Decimal(70), **curve()},
        {"metric": "new_customers", "weight": Decimal(30), **curve(accelerator="1", cap="1.5")},
    ]


def plan_for(org, role="rep", *, user=None, components=None, **fields):
    data = {
        "name": fields.pop("name", f"{role} plan"),
        "role": role,
        "valid_from": fields.pop("valid_from", datetime.date(2026, 1, 1)),
        "valid_to": fields.pop("valid_to", datetime.date(2026, 12, 31)),
        "base_pay": fields.pop("base_pay", Decimal("60000")),
        "variable_target": fields.pop("variable_target", Decimal("40000")),
        "components": components if components is not None else rep_components(),
        "user": user,
        **fields,
    }
    return save_plan(None, acting_user=org.otto, **data)


def quota(who, metric, target, start=Q1[0], end=Q1[1], kind=PeriodKind.QUARTER):
    field = "team" if who.__class__.__name__ == "Team" else "user"
    return Quota.objects.create(
        **{field: who},
        metric=metric,
        period_kind=kind,
        period_start=start,
        period_end=end,
        target=Decimal(target),
    )


def won(owner, value, closed_on, account=None):
    account = account or make_account(owner)
    return make_deal(
        owner,
        account,
        stage_code="won",
        value=Decimal(value),
        created_on=closed_on - datetime.timedelta(days=30),
        closed_on=closed_on,
    )


@pytest.fixture
def rep_plan(org):
    return plan_for(org)


__all__ = ["QuotaMetric"]
