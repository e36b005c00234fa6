"""Hiring and onboarding: open positions, candidates with structured interview scores, and
onboarding plans made from a default template per role.

A position is for a role's competency model (tandem.people RoleProfile) and, optionally, a level
on a career ladder (a CareerStep of that model): the level shifts the expected competency levels
the candidates are compared with.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tandem.users.models import Role


class PositionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")


class Position(models.Model):
    title = models.CharField(_("title"), max_length=200)
    # A team's positions go with the team (removing the demo deletes its teams).
    team = models.ForeignKey(
        "users.Team", verbose_name=_("team"), on_delete=models.CASCADE, related_name="positions"
    )
    profile = models.ForeignKey(
        "people.RoleProfile",
        verbose_name=_("role"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    step = models.ForeignKey(
        "people.CareerStep",
        verbose_name=_("level"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
    )
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hiring manager"),
        on_delete=models.RESTRICT,
        related_name="positions_to_fill",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PositionStatus.choices, default=PositionStatus.OPEN
    )
    opened_on = models.DateField(_("opened on"))
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["status", "-opened_on", "-pk"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.title

    @property
    def level_offset(self) -> int:
        return self.step.level_offset if self.step_id else 0


class CandidateStatus(models.TextChoices):
    ACTIVE = "active", _("In process")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Candidate(models.Model):
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.CASCADE, related_name="candidates"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.ACTIVE
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["position", "name", "pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")

    def __str__(self) -> str:
        return self.name


class InterviewScore(models.Model):
    """One interviewer's score (1–5) of one candidate on one competency of the role."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="scores"
    )
    competency = models.ForeignKey(
        "people.Competency", verbose_name=_("competency"), on_delete=models.PROTECT
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interviewer"),
        on_delete=models.RESTRICT,
        related_name="+",
    )
    score = models.PositiveSmallIntegerField(_("score"))
    note = models.TextField(_("note"), blank=True)
    scored_at = models.DateTimeField(_("scored"), auto_now=True)

    class Meta:
        ordering = ["candidate", "competency__position", "interviewer_id"]
        verbose_name = _("interview score")
        verbose_name_plural = _("interview scores")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "competency", "interviewer"], name="hiring_score_once"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="hiring_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id}:{self.competency_id}={self.score}"


# --- onboarding ---------------------------------------------------------------------------


class StepOwner(models.TextChoices):
    MEMBER = "member", _("The new member")
    MANAGER = "manager", _("The manager")


class OnboardingTemplateStep(models.Model):
    """A step of the default onboarding plan for a role (reference data, English and German).
    `due_after_days` counts from the plan's start."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title (English)"), max_length=200)
    title_de = models.CharField(_("title (German)"), max_length=200)
    owner = models.CharField(_("owner"), max_length=10, choices=StepOwner.choices)
    due_after_days = models.PositiveSmallIntegerField(_("due after (days)"))

    class Meta:
        ordering = ["role", "position"]
        verbose_name = _("onboarding template step")
        verbose_name_plural = _("onboarding template steps")
        constraints = [
            models.UniqueConstraint(fields=["role", "position"], name="hiring_template_position")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        german = (get_language() or "en").startswith("de")
        return self.title_de if german and self.title_de else self.title


class OnboardingPlan(models.Model):
    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("new member"),
        on_delete=models.CASCADE,
        related_name="onboarding_plan",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.RESTRICT,
        related_name="onboarding_plans_led",
    )
    starts_on = models.DateField(_("starts on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("onboarding plan")
        verbose_name_plural = _("onboarding plans")

    def __str__(self) -> str:
        return str(self.member)


class OnboardingStep(models.Model):
    plan = models.ForeignKey(
        OnboardingPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    title_de = models.CharField(_("title (German)"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.RESTRICT,
        related_name="onboarding_steps",
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "due_on", "position", "pk"]
        verbose_name = _("onboarding step")
        verbose_name_plural = _("onboarding steps")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The German title in German when there is one (steps from the template have both)."""
        german = (get_language() or "en").startswith("de")
        return self.title_de if german and self.title_de else self.title

    @property
    def done(self) -> bool:
        return self.done_on is not None
