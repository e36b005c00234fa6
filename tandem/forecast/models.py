from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ForecastCategory(models.TextChoices):
    COMMIT = "commit", _("Commit")
    BEST_CASE = "best_case", _("Best case")
    PIPELINE = "pipeline", _("Pipeline")


class DealForecast(models.Model):
    """A deal's forecast category: the owner's call and, when a manager adjusted it, the
    manager's. Every change is also an audit row."""

    deal = models.OneToOneField(
        "pipeline.Deal",
        verbose_name=_("deal"),
        on_delete=models.CASCADE,
        related_name="forecast",
    )
    rep_category = models.CharField(
        _("category set by the owner"),
        max_length=20,
        choices=ForecastCategory.choices,
        default=ForecastCategory.PIPELINE,
    )
    manager_category = models.CharField(
        _("category adjusted by the manager"),
        max_length=20,
        choices=ForecastCategory.choices,
        blank=True,
    )
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adjusted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("deal forecast category")
        verbose_name_plural = _("deal forecast categories")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rep_category__in=ForecastCategory.values),
                name="deal_forecast_rep_category_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(manager_category="")
                | models.Q(manager_category__in=ForecastCategory.values),
                name="deal_forecast_manager_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deal}: {self.category}"

    @property
    def category(self) -> str:
        return self.manager_category or self.rep_category


class ForecastSnapshot(models.Model):
    """A scope's forecast for one as-of date, kept so that the page does not learn the model
    again on every view. A forecast as of a day only uses the history before that day, so it
    stays right all day; `version` (the highest stage change id before the day) notices history
    written later for the past (imports, the demo) and the snapshot is computed again."""

    scope = models.CharField(max_length=80)
    kind = models.CharField(max_length=10)
    as_of = models.DateField()
    version = models.CharField(max_length=40)
    summary = models.JSONField()
    seconds = models.FloatField(help_text="how long the computation took")
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "kind", "as_of"], name="forecast_snapshot_one_per_scope_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.kind} {self.as_of}"
