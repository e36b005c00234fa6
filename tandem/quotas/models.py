from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.periods import Period, PeriodKind


class QuotaMetric(models.TextChoices):
    WON_VALUE = "won_value", _("Won value")
    NEW_CUSTOMERS = "new_customers", _("New customers")
    DEALS_WON = "deals_won", _("Deals won")


class Quota(models.Model):
    """A target for one person or one team over one period."""

    user = models.ForeignKey(
        "users.User",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quotas",
    )
    team = models.ForeignKey(
        "users.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quotas",
    )
    metric = models.CharField(_("metric"), max_length=20, choices=QuotaMetric.choices)
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["period_start"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        # the KPIs read the quotas of one metric inside one period, many times per cockpit
        indexes = [models.Index(fields=["metric", "period_start"], name="quota_metric_start")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(user__isnull=False) & models.Q(team__isnull=True))
                | (models.Q(user__isnull=True) & models.Q(team__isnull=False)),
                name="quota_for_person_or_team",
            ),
            models.CheckConstraint(
                condition=models.Q(target__gte=0), name="quota_target_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="quota_period_ends_after_start",
            ),
            # A safety net under the service's overlap check (which also refuses periods that
            # overlap without starting on the same day).
            models.UniqueConstraint(
                fields=["user", "metric", "period_start"],
                condition=models.Q(user__isnull=False),
                name="quota_one_per_person_metric_start",
            ),
            models.UniqueConstraint(
                fields=["team", "metric", "period_start"],
                condition=models.Q(team__isnull=False),
                name="quota_one_per_team_metric_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.period_start}–{self.period_end}"

    @property
    def period(self) -> Period:
        """The month, quarter or year the quota is for (`period.code`: 2026Q3)."""
        return Period(self.period_kind, self.period_start, self.period_end)
