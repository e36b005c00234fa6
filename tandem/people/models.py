"""People: competency models, assessments, the role-fit questionnaire and career ladders.

Competencies, the expected levels per role, the questionnaire and the ladders are reference
data kept in the database (English and German), so they can be edited without a release.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TranslatedNameModel

LEVELS = range(1, 6)


def _in_german() -> bool:
    return (get_language() or "en").startswith("de")


class TranslatedDescriptionMixin(models.Model):
    description = models.TextField(_("description (English)"), blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)

    class Meta:
        abstract = True

    @property
    def description_label(self) -> str:
        if _in_german() and self.description_de:
            return self.description_de
        return self.description


class Competency(TranslatedNameModel, TranslatedDescriptionMixin):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def __str__(self) -> str:
        return self.label


class RoleProfile(TranslatedNameModel, TranslatedDescriptionMixin):
    """A role's competency model: which competencies it needs and at which level (1–5)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    competencies = models.ManyToManyField(
        Competency, through="ExpectedLevel", related_name="profiles"
    )

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("competency model")
        verbose_name_plural = _("competency models")

    def __str__(self) -> str:
        return self.label


class ExpectedLevel(models.Model):
    profile = models.ForeignKey(
        RoleProfile, on_delete=models.CASCADE, related_name="expected_levels"
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="expected_levels"
    )
    level = models.PositiveSmallIntegerField(_("expected level"))

    class Meta:
        ordering = ["profile", "competency__position"]
        verbose_name = _("expected level")
        verbose_name_plural = _("expected levels")
        constraints = [
            models.UniqueConstraint(fields=["profile", "competency"], name="people_level_once"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="people_expected_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id}:{self.competency_id}={self.level}"


class AssessmentKind(models.TextChoices):
    SELF = "self", _("Self-assessment")
    MANAGER = "manager", _("Manager's assessment")


class Assessment(models.Model):
    """One rating of a person against a competency model, by themself or their manager."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    profile = models.ForeignKey(
        RoleProfile, verbose_name=_("competency model"), on_delete=models.PROTECT
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AssessmentKind.choices)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rated by"),
        on_delete=models.RESTRICT,
        related_name="+",
    )
    rated_on = models.DateField(_("rated on"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-rated_on", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.person} · {self.profile} · {self.get_kind_display()} · {self.rated_on}"


class Rating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT
    )
    level = models.PositiveSmallIntegerField(_("level"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "competency"], name="people_rating_once"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="people_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency_id}={self.level}"


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class DevelopmentGoal(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="development_goals",
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, null=True, blank=True
    )
    title = models.CharField(_("goal"), max_length=200)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["status", "due_on", "pk"]
        verbose_name = _("development goal")
        verbose_name_plural = _("development goals")

    def __str__(self) -> str:
        return self.title


# --- career ladders -----------------------------------------------------------------------


class CareerLadder(TranslatedNameModel, TranslatedDescriptionMixin):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("career ladder")
        verbose_name_plural = _("career ladders")

    def __str__(self) -> str:
        return self.label


class CareerStep(TranslatedNameModel):
    """A step on a ladder. Typical years are years in sales or account management; the
    competencies expected are the step's profile levels shifted by `level_offset` (≤ 0 for
    steps on the way to the profile's full role), never below 1."""

    ladder = models.ForeignKey(CareerLadder, on_delete=models.CASCADE, related_name="steps")
    code = models.SlugField(_("code"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"))
    years_from = models.PositiveSmallIntegerField(_("typical years from"))
    years_to = models.PositiveSmallIntegerField(_("typical years to"), null=True, blank=True)
    leadership_years = models.PositiveSmallIntegerField(_("years of leadership needed"), default=0)
    profile = models.ForeignKey(
        RoleProfile, verbose_name=_("competency model"), on_delete=models.PROTECT
    )
    level_offset = models.SmallIntegerField(_("level offset"), default=0)
    is_later_step = models.BooleanField(_("later step (director, VP)"), default=False)

    class Meta:
        ordering = ["ladder", "position"]
        verbose_name = _("career step")
        verbose_name_plural = _("career steps")
        constraints = [
            models.UniqueConstraint(fields=["ladder", "position"], name="people_step_position"),
            models.UniqueConstraint(fields=["ladder", "code"], name="people_step_code"),
            models.CheckConstraint(
                condition=models.Q(level_offset__lte=0), name="people_offset_not_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class CareerPosition(models.Model):
    """Where a person stands: the ladder they follow, their step and their experience."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="career_position",
    )
    step = models.ForeignKey(CareerStep, verbose_name=_("step"), on_delete=models.PROTECT)
    years_in_sales = models.DecimalField(
        _("years in sales or account management"), max_digits=4, decimal_places=1
    )
    leadership_years = models.DecimalField(
        _("years in leadership"), max_digits=4, decimal_places=1, default=0
    )

    class Meta:
        verbose_name = _("career position")
        verbose_name_plural = _("career positions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(years_in_sales__gte=0, leadership_years__gte=0),
                name="people_years_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.step}"


# --- role fit -----------------------------------------------------------------------------


class FitRole(models.TextChoices):
    KAM = "kam", _("Key Account Manager")
    SALES_MANAGER = "sales_manager", _("Sales Manager")


class Clarity(models.TextChoices):
    CLEARLY = "clearly", _("clearly")
    RATHER = "rather", _("rather")
    BALANCED = "balanced", _("balanced")


class Questionnaire(models.Model):
    """One version of the role-fit questionnaire with its scoring model. A published version
    never changes: results point to it, so they can be explained later."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # |KAM points − Sales Manager points| / all points: from here on "clearly" / "rather".
    clearly_from = models.DecimalField(_("clearly from"), max_digits=3, decimal_places=2)
    rather_from = models.DecimalField(_("rather from"), max_digits=3, decimal_places=2)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("role-fit questionnaire")
        verbose_name_plural = _("role-fit questionnaires")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rather_from__gt=0, clearly_from__gt=models.F("rather_from")),
                name="people_thresholds_ordered",
            )
        ]

    def __str__(self) -> str:
        return _("Version {version}").format(version=self.version)


class QuestionKind(models.TextChoices):
    ONE = "one", _("one answer")
    SEVERAL = "several", _("several answers")


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    code = models.SlugField(_("code"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question (English)"), max_length=300)
    text_de = models.CharField(_("question (German)"), max_length=300)

    class Meta:
        ordering = ["questionnaire", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="people_question_code")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.text_de if _in_german() and self.text_de else self.text


class AnswerOption(models.Model):
    """An answer and what it says: points towards each role and the reason, in words."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    code = models.SlugField(_("code"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("answer (English)"), max_length=300)
    text_de = models.CharField(_("answer (German)"), max_length=300)
    kam_points = models.PositiveSmallIntegerField(_("points for Key Account Manager"))
    sales_manager_points = models.PositiveSmallIntegerField(_("points for Sales Manager"))
    reason = models.CharField(_("reason (English)"), max_length=300)
    reason_de = models.CharField(_("reason (German)"), max_length=300)

    class Meta:
        ordering = ["question", "position"]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="people_option_code")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.text_de if _in_german() and self.text_de else self.text

    @property
    def reason_label(self) -> str:
        return self.reason_de if _in_german() and self.reason_de else self.reason


class RoleFitResult(models.Model):
    """A stored result: the version answered, the options chosen and the scores they gave."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="role_fit_results",
    )
    options = models.ManyToManyField(AnswerOption, related_name="+")
    kam_points = models.PositiveIntegerField(_("points for Key Account Manager"))
    sales_manager_points = models.PositiveIntegerField(_("points for Sales Manager"))
    leaning = models.CharField(_("fits better"), max_length=20, choices=FitRole.choices, blank=True)
    clarity = models.CharField(_("how clearly"), max_length=10, choices=Clarity.choices)
    created_at = models.DateTimeField(_("taken at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("role-fit result")
        verbose_name_plural = _("role-fit results")

    def __str__(self) -> str:
        return str(self.token)
