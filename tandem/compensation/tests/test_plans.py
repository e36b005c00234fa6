"""Plan rules: weights, curves, overlapping periods, negative pay, roles; audit rows."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.audit.models import AuditEvent
from tandem.compensation.models import CompensationPlan
from tandem.compensation.services import _clean_components, delete_plan, save_plan
from tandem.compensation.tests.conftest import curve, plan_for, rep_components
from tandem.core.errors import DomainError


def test_a_plan_is_saved_with_its_components_and_audited(org):
    plan = plan_for(org)
    assert [c.metric for c in plan.components.all()] == ["won_value", "new_customers"]
    event = AuditEvent.objects.get(action="compensation_plan.created")
    assert event.actor == org.otto
    assert event.changes["components"][0]["weight"] == "70.00"


def test_weights_must_add_up_to_100(org):
    components = rep_components()
    components[1]["weight"] = Decimal(20)
    with pytest.raises(DomainError) as error:
        plan_for(org, components=components)
    assert error.value.field == "components"
    assert "90 %, not 100 %" in error.value.message
    assert not CompensationPlan.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"cap": "0.9"}, "cap must be at least 100 %"),
        ({"threshold": "1.2"}, "target must lie above the threshold"),
        ({"accelerator": "-1"}, "curve would decrease"),
        ({"threshold_payout": "1.5"}, "between 0 % and 100 %"),
    ],
)
def test_a_decreasing_curve_is_refused(org, overrides, words):
    components = rep_components()
    components[0].update(curve(**overrides))
    with pytest.raises(DomainError) as error:
        plan_for(org, components=components)
    assert words in error.value.message
    assert error.value.message.startswith("Won value against quota:")


def test_overlapping_periods_for_one_role_are_refused(org):
    plan_for(org, name="2026")
    with pytest.raises(DomainError) as error:
        plan_for(org, name="Mid-year", valid_from=datetime.date(2026, 7, 1), valid_to=None)
    assert "overlaps the plan “2026”" in error.value.message
    assert error.value.field == "valid_from"
    # the next year and another role are fine
    plan_for(org, name="2027", valid_from=datetime.date(2027, 1, 1), valid_to=None)
    plan_for(org, role="sales_manager", name="Managers 2026")
    # an open-ended plan blocks everything after it
    with pytest.raises(DomainError):
        plan_for(org, name="2028", valid_from=datetime.date(2028, 1, 1))


def test_personal_plans_overlap_per_person_only(org):
    plan_for(org, name="Reps 2026")
    plan_for(org, name="Alice 2026", user=org.alice)
    plan_for(org, name="Bob 2026", user=org.bob)
    with pytest.raises(DomainError):
        plan_for(org, name="Alice again", user=org.alice, valid_from=datetime.date(2026, 12, 31))


def test_a_personal_plan_follows_the_persons_role(org):
    with pytest.raises(DomainError) as error:
        plan_for(org, role="kam", user=org.alice)
    assert error.value.field == "role"


@pytest.mark.parametrize("field", ["base_pay", "variable_target"])
def test_negative_pay_is_refused(org, field):
    with pytest.raises(DomainError) as error:
        plan_for(org, **{field: Decimal("-1")})
    assert error.value.field == field
    assert error.value.message == "Pay cannot be negative."


def test_kam_kpis_need_a_target_and_fit_the_role(org):
    kam = [
        {"metric": "account_growth", "weight": 50, **curve()},
        {"metric": "renewal_rate", "weight": 50, "kpi_target": "0.9", **curve()},
    ]
    with pytest.raises(DomainError) as error:
        plan_for(org, role="kam", components=kam)
    assert "counts as 100 %" in error.value.message
    kam[0]["kpi_target"] = "0.1"
    plan = plan_for(org, role="kam", components=kam)
    assert plan.components.get(metric="account_growth").kpi_target == Decimal("0.1")
    with pytest.raises(DomainError) as error:
        plan_for(org, role="rep", components=kam)
    assert "cannot be part of a plan for the role Sales rep" in error.value.message


def test_the_same_kpi_twice_and_an_empty_plan_are_refused(org):
    twice = [
        {"metric": "won_value", "weight": 50, **curve()},
        {"metric": "won_value", "weight": 50, **curve()},
    ]
    with pytest.raises(DomainError, match="appears twice"):
        plan_for(org, components=twice)
    with pytest.raises(DomainError, match="at least one component"):
        plan_for(org, components=[])


def test_the_end_before_the_start_is_refused(org):
    with pytest.raises(DomainError) as error:
        plan_for(org, valid_to=datetime.date(2025, 12, 31))
    assert error.value.field == "valid_to"


@pytest.mark.parametrize("who", ["alice", "mona", "kim", "hanna"])
def test_only_sales_operations_change_plans(org, who):
    plan = plan_for(org)
    with pytest.raises(DomainError, match="Only sales operations"):
        save_plan(
            None,
            acting_user=getattr(org, who),
            name="x",
            role="rep",
            valid_from=datetime.date(2030, 1, 1),
            valid_to=None,
            base_pay=1,
            variable_target=1,
            components=rep_components(),
        )
    with pytest.raises(DomainError):
        delete_plan(plan, acting_user=getattr(org, who))


def test_a_plan_is_replaced_and_deleted_with_audit_rows(org):
    plan = plan_for(org)
    components = rep_components()
    components[0]["weight"], components[1]["weight"] = 60, 40
    save_plan(
        plan,
        acting_user=org.otto,
        name="Reps 2026 v2",
        role="rep",
        valid_from=plan.valid_from,
        valid_to=plan.valid_to,
        base_pay=plan.base_pay,
        variable_target=Decimal("45000"),
        components=components,
    )
    plan.refresh_from_db()
    assert plan.name == "Reps 2026 v2"
    assert [c.weight for c in plan.components.all()] == [Decimal(60), Decimal(40)]
    changes = AuditEvent.objects.get(action="compensation_plan.updated").changes
    assert set(changes) == {"name", "variable_target", "components"}
    delete_plan(plan, acting_user=org.otto)
    assert not CompensationPlan.objects.exists()
    assert AuditEvent.objects.filter(action="compensation_plan.deleted").exists()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.decimals(min_value="0.01", max_value="100", places=2, allow_nan=False),
        min_size=1,
        max_size=3,
    )
)
def test_weights_are_accepted_exactly_when_they_add_up_to_100(weights):
    metrics = ["won_value", "deals_won", "new_customers"]
    components = [
        {"metric": metric, "weight": weight, **curve()}
        for metric, weight in zip(metrics, weights, strict=False)
    ]
    if sum(weights) == 100:
        cleaned = _clean_components("rep", components)
        assert sum(row["weight"] for row in cleaned) == 100
    else:
        with pytest.raises(DomainError):
            _clean_components("rep", components)
