"""Setting quotas: the one place with their rules, used by the web, the API, the CLI and the
CSV import.

- a quota is for one person or one team, one metric and one period (a month, quarter or year
  that exists: `2017Q3`, `2017-05`, `2017`);
- the target is not negative;
- periods of the same person/team and metric never overlap: setting the same period again
  changes its target, an overlapping other period is refused (a quarter quota and a monthly
  quota inside it would count the same months twice);
- a Sales Manager sets quotas for their teams and their members, the Head of Sales and admins
  for everyone; every change is an audit row;
- one's own quota, or one's own team's, sets one's own pay: with the approval rules on, such a
  change is kept as an Approval (returned instead of the quota) until a second person
  approves it (tandem.approvals);
- every change touches the team its quota counts for (tandem.core.touched): the team's own, or
  the person's team (or the people without one), whose quota sums the KPIs keep.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tandem.approvals import services as approvals
from tandem.approvals.models import Approval, ApprovalRule
from tandem.audit.services import record
from tandem.core.errors import DomainError
from tandem.core.periods import Period
from tandem.core.touched import touched
from tandem.quotas.models import Quota, QuotaMetric
from tandem.users.models import Role, Team, User

QUOTA_SET = "quota.set"


def may_set_quota(acting_user: User, *, user: User | None = None, team: Team | None = None) -> bool:
    if acting_user.sees_everything:
        return True
    if acting_user.role != Role.SALES_MANAGER:
        return False
    if team is not None:
        return team.manager_id == acting_user.pk
    return user is not None and (
        user.pk == acting_user.pk
        or (
            user.team_id is not None
            and Team.objects.filter(pk=user.team_id, manager=acting_user).exists()
        )
    )


def _period(period: Period | str) -> Period:
    return period if isinstance(period, Period) else Period.parse(period)


def _target(target) -> Decimal:
    try:
        value = Decimal(str(target).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("The target must be a number."), field="target") from None
    if not value.is_finite():
        raise DomainError(_("The target must be a number."), field="target")
    if value < 0:
        raise DomainError(_("A target cannot be negative."), field="target")
    if value >= Decimal("1e12"):
        raise DomainError(_("This target is too large."), field="target")
    return value.quantize(Decimal("0.01"))


def _whose(user: User | None, team: Team | None) -> Q:
    if (user is None) == (team is None):
        raise DomainError(_("A quota is for one person or one team."), field="user")
    return Q(user=user) if user is not None else Q(team=team)


def _describe(quota: Quota) -> dict:
    return {
        "user": quota.user.username if quota.user else None,
        "team": quota.team.name if quota.team else None,
        "metric": quota.metric,
        "period": quota.period.code,
        "target": str(quota.target),
    }


def is_own_quota(acting_user: User, *, user: User | None, team: Team | None) -> bool:
    """The quota sets the acting user's own pay: their own, or their team's as its manager."""
    if user is not None:
        return user.pk == acting_user.pk
    return team is not None and team.manager_id == acting_user.pk


def _ask(
    quota: Quota | None,
    *,
    acting_user: User,
    user: User | None,
    team: Team | None,
    metric: str,
    period: Period,
    value: Decimal,
    note: str,
) -> Approval:
    label = QuotaMetric(metric).label
    return approvals.ask(
        kind=QUOTA_SET,
        rule=ApprovalRule.OWN_QUOTA,
        subject=quota,
        subject_type=Quota._meta.label_lower,
        subject_repr=f"{user or team} · {label} · {period.code}",
        changes={"target": [str(quota.target) if quota else None, str(value)]},
        payload={
            "user": user.pk if user else None,
            "team": team.pk if team else None,
            "metric": metric,
            "period": period.code,
            "target": str(value),
        },
        acting_user=acting_user,
        note=note,
    )


def apply_approved_quota(approval: Approval) -> Quota | Approval:
    """Set an approved quota, as its asker asked for it."""
    data = approval.payload
    return set_quota(
        acting_user=approval.requested_by,
        user=User.objects.filter(pk=data["user"]).first() if data["user"] else None,
        team=Team.objects.filter(pk=data["team"]).first() if data["team"] else None,
        metric=data["metric"],
        period=data["period"],
        target=data["target"],
        approval=approval,
    )


@transaction.atomic
def set_quota(
    *,
    acting_user: User,
    metric: str,
    period: Period | str,
    target,
    user: User | None = None,
    team: Team | None = None,
    approval: Approval | None = None,
    approval_note: str = "",
) -> Quota | Approval:
    """Create the quota, or change the target of the same person/team, metric and period.
    One's own (or own team's) quota is kept as an Approval instead, unless `approval` is the
    one a second person gave."""
    whose = _whose(user, team)
    if metric not in QuotaMetric.values:
        raise DomainError(
            _("Unknown metric “{metric}”; choose one of: {choices}.").format(
                metric=metric, choices=", ".join(QuotaMetric.values)
            ),
            field="metric",
        )
    period = _period(period)
    value = _target(target)
    if not may_set_quota(acting_user, user=user, team=team):
        raise PermissionDenied(_("You may not set quotas for {whom}.").format(whom=user or team))
    existing = list(
        Quota.objects.select_for_update()
        .filter(whose, metric=metric, period_start__lte=period.end, period_end__gte=period.start)
        .order_by("period_start")
    )
    same = [q for q in existing if (q.period_start, q.period_end) == (period.start, period.end)]
    others = [q for q in existing if q not in same]
    if others:
        clash = others[0]
        raise DomainError(
            _(
                "{whom} already has a {metric} quota for {other}, which overlaps {period}. "
                "Change or delete that one instead."
            ).format(
                whom=user or team,
                metric=clash.get_metric_display(),
                other=clash.period.code,
                period=period.code,
            ),
            field="period",
        )
    if same and same[0].target == value:
        return same[0]
    if (
        approval is None
        and approvals.rules().own_quotas
        and is_own_quota(acting_user, user=user, team=team)
    ):
        return _ask(
            same[0] if same else None,
            acting_user=acting_user,
            user=user,
            team=team,
            metric=metric,
            period=period,
            value=value,
            note=approval_note,
        )
    if same:
        quota = same[0]
        old = str(quota.target)
        quota.target = value
        quota.save(update_fields=["target"])
        touch_quotas([quota])
        record(
            quota, "quota.changed", acting_user=acting_user, changes={"target": [old, str(value)]}
        )
        return quota
    quota = Quota.objects.create(
        user=user,
        team=team,
        metric=metric,
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        target=value,
    )
    touch_quotas([quota])
    record(quota, "quota.set", acting_user=acting_user, changes=_describe(quota))
    return quota


@transaction.atomic
def delete_quota(quota: Quota, *, acting_user: User) -> None:
    if not may_set_quota(acting_user, user=quota.user, team=quota.team):
        raise PermissionDenied(_("You may not change this quota."))
    record(quota, "quota.deleted", acting_user=acting_user, changes=_describe(quota))
    touch_quotas([quota])
    quota.delete()


def touch_quotas(quotas: list[Quota]) -> None:
    """Say which teams' quota sums these quotas count in: a team's own quota its team's, a
    person's quota their team's (None: the people without a team)."""
    teams = {quota.team_id for quota in quotas if quota.team_id is not None}
    people = [quota.user_id for quota in quotas if quota.team_id is None and quota.user_id]
    teams |= set(User.objects.filter(pk__in=people).values_list("team_id", flat=True))
    touched("quotas", teams=teams)


# --- import --------------------------------------------------------------------------------

QUOTA_COLUMNS = ["person", "team", "metric", "period", "target"]


@dataclass
class QuotaImportResult:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    pass


def import_quotas(
    text: str, *, acting_user: User, dry_run: bool = False, delimiter: str = ","
) -> QuotaImportResult:
    """Quotas from CSV text with the columns person (username) or team (name), metric, period,
    target. All rows or none: any rejected row (reported with its line) writes nothing."""
    result = QuotaImportResult(dry_run=dry_run)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    missing = [c for c in ["metric", "period", "target"] if c not in (reader.fieldnames or [])]
    if missing or not {"person", "team"} & set(reader.fieldnames or []):
        result.errors.append(
            (
                1,
                _("The file needs the columns {columns}; found: {found}.").format(
                    columns=", ".join(QUOTA_COLUMNS), found=", ".join(reader.fieldnames or [])
                ),
            )
        )
        return result
    users = {u.username: u for u in User.objects.all()}
    teams = {t.name: t for t in Team.objects.all()}
    try:
        with transaction.atomic():
            seen = set()
            for row in reader:
                line = reader.line_num
                row = {k: (v or "").strip() for k, v in row.items() if k}
                person, team_name = row.get("person", ""), row.get("team", "")
                try:
                    user = users.get(person) if person else None
                    team = teams.get(team_name) if team_name else None
                    if person and user is None:
                        raise DomainError(
                            _("No person with the username “{name}”.").format(name=person)
                        )
                    if team_name and team is None:
                        raise DomainError(_("No team named “{name}”.").format(name=team_name))
                    key = (person, team_name, row["metric"], row["period"])
                    if key in seen:
                        raise DomainError(_("This quota is already set by an earlier line."))
                    seen.add(key)
                    before = _existing_target(user, team, row["metric"], row["period"])
                    quota = set_quota(
                        acting_user=acting_user,
                        user=user,
                        team=team,
                        metric=row["metric"],
                        period=row["period"],
                        target=row["target"],
                    )
                    if isinstance(quota, Approval):
                        raise DomainError(
                            _(
                                "Your own quota, or your team's, needs a second person's "
                                "approval: set it on the quotas page."
                            )
                        )
                except (DomainError, PermissionDenied) as error:
                    result.errors.append((line, str(getattr(error, "message", error))))
                    continue
                if before is None:
                    result.created += 1
                elif before != quota.target:
                    result.changed += 1
                else:
                    result.unchanged += 1
            if result.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result


def _existing_target(user, team, metric, period_code) -> Decimal | None:
    try:
        period = Period.parse(period_code)
    except DomainError:
        return None
    quota = Quota.objects.filter(
        Q(user=user) if user is not None else Q(team=team),
        metric=metric,
        period_start=period.start,
        period_end=period.end,
    ).first()
    return quota.target if quota else None
