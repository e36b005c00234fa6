"""Account plans: one per key account and year, with review dates and actions for internal
teams."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

GROWTH_MIN = Decimal(-100)
GROWTH_MAX = Decimal(1000)
YEAR_MIN = 2000
YEAR_MAX = 2100


class AccountPlan(models.Model):
    """What the account team wants to reach with one key account in one calendar year."""

    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="plans",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    objectives = models.TextField(_("objectives"))
    growth_target_percent = models.DecimalField(
        _("growth target (%)"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(GROWTH_MIN), MaxValueValidator(GROWTH_MAX)],
        help_text=_("Invoiced revenue of the plan year against the year before."),
    )
    whitespace = models.ManyToManyField(
        "catalog.Product",
        verbose_name=_("whitespace to pursue"),
        blank=True,
        related_name="+",
        help_text=_("Products the account does not buy yet and the team wants to sell."),
    )
    risks = models.TextField(_("risks"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["-year", "account__name", "pk"]
        verbose_name = _("account plan")
        verbose_name_plural = _("account plans")
        constraints = [
            models.UniqueConstraint(fields=["account", "year"], name="accountplan_one_per_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                name="accountplan_year_range",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    growth_target_percent__gte=GROWTH_MIN, growth_target_percent__lte=GROWTH_MAX
                ),
                name="accountplan_growth_range",
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("Account plan {year} for {account}").format(year=self.year, account=self.account)
        )


class PlanReview(models.Model):
    """A date on which the account team reviews the plan (and, usually, holds a QBR)."""

    plan = models.ForeignKey(
        AccountPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reviews"
    )
    review_on = models.DateField(_("review date"))

    class Meta:
        ordering = ["review_on"]
        verbose_name = _("review date")
        verbose_name_plural = _("review dates")
        constraints = [
            models.UniqueConstraint(fields=["plan", "review_on"], name="planreview_unique_day")
        ]

    def __str__(self) -> str:
        return self.review_on.isoformat()


class TeamFunction(models.TextChoices):
    SALES = "sales", _("Sales")
    KEY_ACCOUNT = "key_account", _("Key account management")
    MARKETING = "marketing", _("Marketing")
    PRODUCT = "product", _("Product management")
    SERVICE = "service", _("Customer service")
    DELIVERY = "delivery", _("Delivery and logistics")
    FINANCE = "finance", _("Finance")
    LEGAL = "legal", _("Legal")
    MANAGEMENT = "management", _("Management")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    BLOCKED = "blocked", _("Blocked")


class PlanAction(models.Model):
    """Something an internal team does for the plan, with one owner and a due date."""

    plan = models.ForeignKey(
        AccountPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(_("action"), max_length=200)
    function = models.CharField(_("team / function"), max_length=20, choices=TeamFunction.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="plan_actions",
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("Required when blocked: what blocks it.")
    )
    completed_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        indexes = [models.Index(fields=["owner", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="blocked") | ~models.Q(note=""),
                name="planaction_blocked_has_note",
            ),
            models.CheckConstraint(
                condition=models.Q(status="done", completed_on__isnull=False)
                | (~models.Q(status="done") & models.Q(completed_on__isnull=True)),
                name="planaction_done_has_day",
            ),
        ]

    def __str__(self) -> str:
        return self.title
