"""Every write of hiring and onboarding: positions, candidates, interview scores, plans.

Each write checks who may do it, runs in one transaction and leaves an audit row. Bad input is
refused with a DomainError naming the field.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.services import record
from tandem.core.errors import DomainError
from tandem.hiring.models import (
    Candidate,
    CandidateStatus,
    InterviewScore,
    OnboardingPlan,
    OnboardingStep,
    Position,
    PositionStatus,
    StepOwner,
)
from tandem.hiring.selectors import (
    can_edit_plan,
    can_tick,
    hiring_teams,
    plan_candidates,
    template_for,
    visible_positions,
)
from tandem.people.models import CareerStep, Competency, ExpectedLevel, RoleProfile
from tandem.users.models import Team, User


def _check_position_access(position: Position, user: User) -> None:
    if not visible_positions(user).filter(pk=position.pk).exists():
        raise DomainError(
            _("Only the team's Sales Manager, the Head of Sales or an admin may do this.")
        )


def _locked_open(position: Position) -> Position:
    """The position as stored, locked for the rest of the transaction; refused unless open."""
    position = Position.objects.select_for_update().select_related("profile").get(pk=position.pk)
    _check_open(position)
    return position


def _check_open(position: Position) -> None:
    if position.status != PositionStatus.OPEN:
        raise DomainError(
            _("The position is %(status)s: nothing can be added to it any more.")
            % {"status": position.get_status_display().lower()},
            field="position",
        )


def _text(value: str | None, field: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(_("This field is required."), field=field)
    if len(value) > limit:
        raise DomainError(_("Enter at most %(limit)d characters.") % {"limit": limit}, field=field)
    return value


# --- positions ----------------------------------------------------------------------------


@transaction.atomic
def open_position(
    *,
    acting_user: User,
    title: str,
    team: Team,
    profile: RoleProfile,
    step: CareerStep | None = None,
    hiring_manager: User | None = None,
    opened_on: datetime.date | None = None,
    description: str = "",
) -> Position:
    if not hiring_teams(acting_user).filter(pk=team.pk).exists():
        raise DomainError(_("You can open positions only for the teams you manage."), field="team")
    if step is not None and step.profile_id != profile.pk:
        raise DomainError(
            _("The level %(level)s is not a level of the role %(role)s.")
            % {"level": step.label, "role": profile.label},
            field="step",
        )
    hiring_manager = hiring_manager or team.manager
    if hiring_manager.pk != team.manager_id and not hiring_manager.sees_everything:
        raise DomainError(
            _("The hiring manager must be the team's Sales Manager, Head of Sales or admin."),
            field="hiring_manager",
        )
    position = Position.objects.create(
        title=_text(title, "title", 200),
        team=team,
        profile=profile,
        step=step,
        hiring_manager=hiring_manager,
        opened_on=opened_on or timezone.localdate(),
        description=(description or "").strip(),
        created_by=acting_user,
    )
    record(
        position,
        "position.open",
        acting_user=acting_user,
        changes={"team": team.pk, "profile": profile.code, "step": step.code if step else None},
    )
    return position


POSITION_MOVES: dict[str, set[PositionStatus]] = {
    PositionStatus.OPEN: {PositionStatus.CLOSED},
    PositionStatus.CLOSED: {PositionStatus.OPEN},
    PositionStatus.FILLED: set(),
}


@transaction.atomic
def set_position_status(position: Position, status: str, *, acting_user: User) -> Position:
    """Close an open position or open a closed one again. A position is filled by hiring a
    candidate (`set_candidate_status(..., "hired")`)."""
    _check_position_access(position, acting_user)
    position = Position.objects.select_for_update().get(pk=position.pk)
    if status not in POSITION_MOVES.get(position.status, set()):
        raise DomainError(
            _("A position that is %(current)s cannot become %(new)s.")
            % {
                "current": position.get_status_display().lower(),
                "new": str(dict(PositionStatus.choices).get(status, status)).lower(),
            },
            field="status",
        )
    before = position.status
    position.status = status
    position.save(update_fields=["status"])
    record(
        position, "position.status", acting_user=acting_user, changes={"from": before, "to": status}
    )
    return position


# --- candidates and interview scores ------------------------------------------------------


@transaction.atomic
def add_candidate(
    position: Position, *, acting_user: User, name: str, email: str = "", note: str = ""
) -> Candidate:
    _check_position_access(position, acting_user)
    position = _locked_open(position)
    candidate = Candidate.objects.create(
        position=position,
        name=_text(name, "name", 200),
        email=(email or "").strip(),
        note=(note or "").strip(),
        created_by=acting_user,
    )
    record(candidate, "candidate.add", acting_user=acting_user, changes={"position": position.pk})
    return candidate


@transaction.atomic
def set_candidate_status(candidate: Candidate, status: str, *, acting_user: User) -> Candidate:
    """Hire, reject or withdraw a candidate (or put them back in the process). Hiring fills the
    position; only candidates of an open position change."""
    position = candidate.position
    _check_position_access(position, acting_user)
    position = _locked_open(position)
    if status not in CandidateStatus.values:
        raise DomainError(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(CandidateStatus.values)},
            field="status",
        )
    before = candidate.status
    candidate.status = status
    candidate.save(update_fields=["status"])
    if status == CandidateStatus.HIRED:
        position.status = PositionStatus.FILLED
        position.save(update_fields=["status"])
        record(position, "position.status", acting_user=acting_user, changes={"to": "filled"})
    record(
        candidate,
        "candidate.status",
        acting_user=acting_user,
        changes={"from": before, "to": status},
    )
    return candidate


def _score_value(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or str(number) != str(value).strip() or not 1 <= number <= 5:
        raise DomainError(_("A score is a whole number from 1 to 5."), field="score")
    return number


@transaction.atomic
def record_scores(
    candidate: Candidate, scores: list[dict], *, acting_user: User
) -> list[InterviewScore]:
    """The acting user's interview scores of `candidate`: a list of {"competency": Competency
    or its code, "score": 1–5, "note": ""}. A competency scored again replaces the
    interviewer's earlier score. All or nothing."""
    _check_position_access(candidate.position, acting_user)
    position = _locked_open(candidate.position)
    candidate.refresh_from_db(fields=["status"])
    if candidate.status != CandidateStatus.ACTIVE:
        raise DomainError(
            _("The candidate is %(status)s: their scores are final.")
            % {"status": candidate.get_status_display().lower()},
            field="candidate",
        )
    if not scores:
        raise DomainError(_("Score at least one competency."), field="scores")
    allowed = {
        level.competency.code: level.competency
        for level in ExpectedLevel.objects.filter(profile_id=position.profile_id).select_related(
            "competency"
        )
    }
    saved, seen = [], set()
    for entry in scores:
        competency = entry.get("competency")
        code = competency.code if isinstance(competency, Competency) else str(competency or "")
        if code not in allowed:
            raise DomainError(
                _("%(competency)s is not a competency of the role %(role)s.")
                % {"competency": code or "—", "role": position.profile.label},
                field="competency",
            )
        if code in seen:
            raise DomainError(
                _("%(competency)s is scored twice.") % {"competency": allowed[code].label},
                field="competency",
            )
        seen.add(code)
        score = _score_value(entry.get("score"))
        row, _created = InterviewScore.objects.update_or_create(
            candidate=candidate,
            competency=allowed[code],
            interviewer=acting_user,
            defaults={"score": score, "note": (entry.get("note") or "").strip()},
        )
        saved.append(row)
    record(
        candidate,
        "candidate.scores",
        acting_user=acting_user,
        changes={row.competency.code: row.score for row in saved},
    )
    return saved


# --- onboarding ---------------------------------------------------------------------------


@transaction.atomic
def create_onboarding_plan(
    member: User,
    *,
    acting_user: User,
    starts_on: datetime.date | None = None,
    manager: User | None = None,
) -> OnboardingPlan:
    """A plan for a new team member from the default template of their role: each step's
    owner is the member or the manager, due `due_after_days` after the start."""
    if not plan_candidates(acting_user).filter(pk=member.pk).exists():
        if OnboardingPlan.objects.filter(member=member).exists():
            raise DomainError(
                _("%(member)s already has an onboarding plan.") % {"member": member}, field="member"
            )
        raise DomainError(
            _("You can make onboarding plans only for members of the teams you manage."),
            field="member",
        )
    team_manager = member.team.manager if member.team else None
    manager = manager or (
        team_manager if team_manager and team_manager.pk != member.pk else acting_user
    )
    if manager.pk == member.pk:
        raise DomainError(
            _("A new member cannot be their own onboarding manager."), field="manager"
        )
    starts_on = starts_on or timezone.localdate()
    plan = OnboardingPlan.objects.create(
        member=member, manager=manager, starts_on=starts_on, created_by=acting_user
    )
    OnboardingStep.objects.bulk_create(
        OnboardingStep(
            plan=plan,
            position=template.position,
            title=template.title,
            title_de=template.title_de,
            owner=member if template.owner == StepOwner.MEMBER else manager,
            due_on=starts_on + datetime.timedelta(days=template.due_after_days),
        )
        for template in template_for(member.role)
    )
    record(
        plan,
        "onboarding.create",
        acting_user=acting_user,
        changes={"member": member.pk, "manager": manager.pk, "starts_on": str(starts_on)},
    )
    return plan


@transaction.atomic
def add_onboarding_step(
    plan: OnboardingPlan, *, acting_user: User, title: str, owner: User, due_on: datetime.date
) -> OnboardingStep:
    if not can_edit_plan(acting_user, plan):
        raise DomainError(_("Only the new member's manager may change the plan."))
    if not owner.is_active:
        raise DomainError(_("The owner must be an active user."), field="owner")
    if due_on is None:
        raise DomainError(_("This field is required."), field="due_on")
    if due_on < plan.starts_on:
        raise DomainError(_("A step cannot be due before the plan starts."), field="due_on")
    last = plan.steps.order_by("-position").values_list("position", flat=True).first() or 0
    step = OnboardingStep.objects.create(
        plan=plan, position=last + 1, title=_text(title, "title", 200), owner=owner, due_on=due_on
    )
    record(step, "onboarding.step_add", acting_user=acting_user, changes={"plan": plan.pk})
    return step


@transaction.atomic
def set_step_done(
    step: OnboardingStep, done: bool, *, acting_user: User, today: datetime.date | None = None
) -> OnboardingStep:
    if not can_tick(acting_user, step):
        raise DomainError(_("Only the step's owner, the new member or their manager may do this."))
    step.done_on = (today or timezone.localdate()) if done else None
    step.save(update_fields=["done_on"])
    record(
        step,
        "onboarding.step_done" if done else "onboarding.step_reopen",
        acting_user=acting_user,
        changes={"plan": step.plan_id},
    )
    return step
