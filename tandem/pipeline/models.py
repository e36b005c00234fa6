from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TranslatedNameModel, Versioned


class StageOutcome(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class Stage(TranslatedNameModel):
    """A configurable pipeline stage; won and lost are terminal."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"))
    win_probability = models.PositiveSmallIntegerField(_("default win probability (%)"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=StageOutcome.choices, default=StageOutcome.OPEN
    )

    class Meta:
        ordering = ["position"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(win_probability__lte=100), name="stage_probability_max_100"
            ),
        ]

    @property
    def is_terminal(self) -> bool:
        return self.outcome != StageOutcome.OPEN


class Channel(TranslatedNameModel):
    """Lead source / sales channel (e.g. inbound, outbound, partner, event)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sales channel")
        verbose_name_plural = _("sales channels")


class DealType(models.TextChoices):
    NEW_BUSINESS = "new_business", _("New business")
    CROSS_SELL = "cross_sell", _("Cross-sell")
    UP_SELL = "up_sell", _("Up-sell")
    RENEWAL = "renewal", _("Renewal")


class Deal(Versioned):
    """An opportunity. Its stage changes are kept as StageChange rows."""

    name = models.CharField(_("name"), max_length=200)
    external_ref = models.CharField(
        _("external reference"), max_length=200, null=True, blank=True, unique=True
    )
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deals",
        help_text=_("Imported deals may not have an account yet; assign one to resolve them."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_deals",
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deals",
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, default=0)
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="deals"
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("sales channel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deals",
    )
    deal_type = models.CharField(
        _("type"), max_length=20, choices=DealType.choices, default=DealType.NEW_BUSINESS
    )
    created_on = models.DateField(_("created"), null=True, blank=True)
    engaged_on = models.DateField(_("engaged"), null=True, blank=True)
    expected_close_on = models.DateField(_("expected close"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    lost_reason = models.CharField(_("lost reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_on", "-id"]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        indexes = [
            models.Index(fields=["owner", "stage"]),
            models.Index(fields=["account", "stage"]),
            models.Index(fields=["stage", "closed_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="deal_value_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(engaged_on__isnull=True)
                | models.Q(closed_on__gte=models.F("engaged_on")),
                name="deal_closes_after_engagement",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StageChange(models.Model):
    """One move of a deal from a stage to another: the basis of dwell times and conversion."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.ForeignKey(
        Stage,
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_stage = models.ForeignKey(
        Stage, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [models.Index(fields=["deal", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.deal_id}: {self.from_stage_id} → {self.to_stage_id}"
