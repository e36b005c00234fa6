"""Every write of compensation: plans with their components, and salary bands.

Each write runs in one transaction, checks its rules (refusing with a translated DomainError
naming the field) and leaves an audit row.
"""

from __future__ import annotations

import datetime
import re
import zlib
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tandem.audit.services import record
from tandem.compensation.models import (
    KAM_METRICS,
    METRICS_BY_ROLE,
    CompanyProfile,
    CompanySize,
    CompensationPlan,
    Industry,
    Level,
    Metric,
    PlanComponent,
    SalaryBand,
)
from tandem.core.errors import DomainError
from tandem.people.payout import PayoutCurve, validate_weights
from tandem.users.models import Role, User

CURVE_FIELDS = ("threshold", "target", "threshold_payout", "accelerator", "cap")
CURVE_DEFAULTS = {
    "threshold": Decimal("0.5"),
    "target": Decimal(1),
    "threshold_payout": Decimal("0.25"),
    "accelerator": Decimal("1.5"),
    "cap": Decimal(2),
}


def may_manage_plans(user: User) -> bool:
    """Sales operations (admins) set up plans and bands."""
    return user.is_superuser or user.role == Role.ADMIN


def _check_admin(user: User) -> None:
    if not may_manage_plans(user):
        raise DomainError(_("Only sales operations may change compensation plans and bands."))


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ".")) if value is not None else None
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise DomainError(_("Enter a number."), field=field)
    return number


def _money(value, field: str) -> Decimal:
    number = _decimal(value, field)
    if number < 0:
        raise DomainError(_("Pay cannot be negative."), field=field)
    return number.quantize(Decimal("0.01"))


def _clean_components(role: str, components: list[dict]) -> list[dict]:
    """Each component checked (KPI allowed for the role, a target for the KAM KPIs, a curve
    that never decreases), then the weights together (exactly 100 %)."""
    allowed = METRICS_BY_ROLE.get(role, set())
    labels = dict(Metric.choices)
    cleaned, seen = [], set()
    for position, raw in enumerate(components):
        metric = raw.get("metric")
        if metric not in labels:
            raise DomainError(_("Choose a KPI for every component."), field="components")
        label = labels[metric]
        if metric not in allowed:
            raise DomainError(
                _("“{kpi}” cannot be part of a plan for the role {role}.").format(
                    kpi=label, role=Role(role).label
                ),
                field="components",
            )
        if metric in seen:
            raise DomainError(
                _("“{kpi}” appears twice in this plan.").format(kpi=label), field="components"
            )
        seen.add(metric)
        weight = _decimal(raw.get("weight"), "components")
        curve_values = {
            name: _decimal(
                raw.get(name) if raw.get(name) is not None else CURVE_DEFAULTS[name], "components"
            )
            for name in CURVE_FIELDS
        }
        try:
            PayoutCurve(**curve_values)
        except DomainError as error:
            raise DomainError(
                _("{kpi}: {problem}").format(kpi=label, problem=error.message),
                field="components",
            ) from None
        kpi_target = raw.get("kpi_target")
        if metric in KAM_METRICS:
            if kpi_target in (None, ""):
                raise DomainError(
                    _("{kpi}: set the KPI value that counts as 100 %.").format(kpi=label),
                    field="components",
                )
            kpi_target = _decimal(kpi_target, "components")
            if kpi_target <= 0:
                raise DomainError(
                    _("{kpi}: the KPI target must be above 0.").format(kpi=label),
                    field="components",
                )
        else:
            kpi_target = None
        cleaned.append(
            {
                "metric": metric,
                "weight": weight,
                "kpi_target": kpi_target,
                "position": position,
                **curve_values,
            }
        )
    if not cleaned:
        raise DomainError(_("A plan needs at least one component."), field="components")
    try:
        validate_weights([row["weight"] for row in cleaned])
    except DomainError as error:
        raise DomainError(error.message, field="components") from None
    return cleaned


def _overlapping(
    role: str,
    user: User | None,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
    exclude_pk: int | None,
):
    if user is None:
        plans = CompensationPlan.objects.filter(role=role, user__isnull=True)
    else:
        plans = CompensationPlan.objects.filter(user=user)
    # Two periods overlap when each starts before (or on) the other's end.
    plans = plans.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    if valid_to is not None:
        plans = plans.filter(valid_from__lte=valid_to)
    if exclude_pk is not None:
        plans = plans.exclude(pk=exclude_pk)
    return plans.order_by("valid_from").first()


def _describe(plan: CompensationPlan) -> dict:
    return {
        "name": plan.name,
        "role": plan.role,
        "user": plan.user_id,
        "valid_from": plan.valid_from.isoformat(),
        "valid_to": plan.valid_to.isoformat() if plan.valid_to else None,
        "base_pay": str(plan.base_pay),
        "variable_target": str(plan.variable_target),
        "currency": plan.currency,
        "level": plan.level,
        "components": [
            {
                "metric": c.metric,
                "weight": str(c.weight),
                "kpi_target": str(c.kpi_target) if c.kpi_target is not None else None,
                **{name: str(getattr(c, name)) for name in CURVE_FIELDS},
            }
            for c in plan.components.all()
        ],
    }


def _serialize(role: str, user: User | None) -> None:
    """Two admins saving plans for the same role (or person) at once wait for each other, so
    the overlap check sees the other's plan: the person's row is locked, for a role plan a
    transaction-level advisory lock on PostgreSQL (SQLite writes one at a time anyway)."""
    if user is not None:
        User.objects.select_for_update().filter(pk=user.pk).first()
    elif connection.vendor == "postgresql":
        key = zlib.crc32(f"compensation_plan:{role}".encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


@transaction.atomic
def save_plan(
    plan: CompensationPlan | None,
    *,
    acting_user: User,
    name: str,
    role: str | None,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
    base_pay,
    variable_target,
    components: list[dict],
    user: User | None = None,
    currency: str = "EUR",
    level: str = "",
) -> CompensationPlan:
    """Create a plan (`plan` None) or replace an existing one with its components.

    A plan for one person takes that person's role; periods of the plans for the same role
    (or the same person) may not overlap."""
    _check_admin(acting_user)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the plan a name."), field="name")
    if user is not None:
        if role and role != user.role:
            raise DomainError(
                _("{name} is a {role}: a personal plan follows the person's role.").format(
                    name=user, role=user.get_role_display()
                ),
                field="role",
            )
        role = user.role
    if role not in Role.values:
        raise DomainError(_("Choose a role."), field="role")
    if valid_from is None:
        raise DomainError(_("Enter the first day of the plan."), field="valid_from")
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(_("The plan cannot end before it starts."), field="valid_to")
    base = _money(base_pay, "base_pay")
    variable = _money(variable_target, "variable_target")
    currency = (currency or "EUR").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise DomainError(_("Enter a three-letter currency code (EUR)."), field="currency")
    level = level or ""
    if level and level not in Level.values:
        raise DomainError(_("Choose a level."), field="level")
    cleaned = _clean_components(role, components)
    _serialize(role, user)
    clash = _overlapping(role, user, valid_from, valid_to, plan.pk if plan else None)
    if clash is not None:
        until = clash.valid_to.isoformat() if clash.valid_to else _("open end")
        raise DomainError(
            _("This period overlaps the plan “{plan}” ({start} to {end}).").format(
                plan=clash.name, start=clash.valid_from.isoformat(), end=until
            ),
            field="valid_from",
        )
    created = plan is None
    if plan is None:
        plan = CompensationPlan()
    else:
        plan = CompensationPlan.objects.select_for_update().get(pk=plan.pk)
        before = _describe(plan)
    plan.name, plan.role, plan.user = name, role, user
    plan.valid_from, plan.valid_to = valid_from, valid_to
    plan.base_pay, plan.variable_target, plan.currency = base, variable, currency
    plan.level = level
    plan.save()
    plan.components.all().delete()
    PlanComponent.objects.bulk_create([PlanComponent(plan=plan, **row) for row in cleaned])
    after = _describe(plan)
    if created:
        record(plan, "compensation_plan.created", acting_user=acting_user, changes=after)
    else:
        diff = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
        record(plan, "compensation_plan.updated", acting_user=acting_user, changes=diff)
    return plan


@transaction.atomic
def delete_plan(plan: CompensationPlan, *, acting_user: User) -> None:
    _check_admin(acting_user)
    plan = CompensationPlan.objects.select_for_update().get(pk=plan.pk)
    record(plan, "compensation_plan.deleted", acting_user=acting_user, changes=_describe(plan))
    plan.delete()


@transaction.atomic
def update_band(band: SalaryBand, *, acting_user: User, minimum, midpoint, maximum) -> SalaryBand:
    """Change a band's amounts: min ≤ mid ≤ max, none negative."""
    _check_admin(acting_user)
    band = SalaryBand.objects.select_for_update().get(pk=band.pk)
    low = _money(minimum, "minimum")
    mid = _money(midpoint, "midpoint")
    high = _money(maximum, "maximum")
    if mid < low:
        raise DomainError(_("The midpoint cannot lie below the minimum."), field="midpoint")
    if high < mid:
        raise DomainError(_("The maximum cannot lie below the midpoint."), field="maximum")
    before = [str(band.minimum), str(band.midpoint), str(band.maximum)]
    band.minimum, band.midpoint, band.maximum = low, mid, high
    band.save()
    record(
        band,
        "salary_band.updated",
        acting_user=acting_user,
        changes={"amounts": [before, [str(low), str(mid), str(high)]]},
    )
    return band


@transaction.atomic
def set_company_profile(*, acting_user: User, company_size: str, industry: str) -> CompanyProfile:
    """Which salary bands apply to this company: its size and industry."""
    _check_admin(acting_user)
    if company_size not in CompanySize.values:
        raise DomainError(_("Choose a company size."), field="company_size")
    if industry not in Industry.values:
        raise DomainError(_("Choose an industry."), field="industry")
    profile = CompanyProfile.for_update()
    before = [profile.company_size, profile.industry]
    profile.company_size, profile.industry = company_size, industry
    profile.save()
    record(
        profile,
        "company_profile.updated",
        acting_user=acting_user,
        changes={"profile": [before, [company_size, industry]]},
    )
    return profile


def add_missing_salary_bands(rows: list[dict]) -> int:
    """Reference bands (role, level, company size, industry with minimum, midpoint, maximum),
    added where none exists for their keys; a band an admin edited is kept. Returns how many
    were added."""
    added = 0
    for row in rows:
        keys = {k: row[k] for k in ("role", "level", "company_size", "industry")}
        _band, created = SalaryBand.objects.get_or_create(
            **keys, defaults={k: row[k] for k in ("minimum", "midpoint", "maximum")}
        )
        added += int(created)
    return added
