"""Key-account rules, handovers and the steps of each handover."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import CompanyWide


class KeyAccountRules(CompanyWide):
    """When an account qualifies as a key account, and how many key accounts one KAM may hold.

    One row (pk 1) for the whole company; `KeyAccountRules.current()` reads it.
    Each rule can be switched on or off; an account qualifies when any rule that is on fires.
    """

    won_value_enabled = models.BooleanField(_("rule: won deal value"), default=True)
    won_value_threshold = models.DecimalField(
        _("won deal value in the last 12 months at least"),
        max_digits=16,
        decimal_places=2,
        default=Decimal("250000"),
        validators=[MinValueValidator(Decimal(0))],
    )
    invoiced_revenue_enabled = models.BooleanField(_("rule: invoiced revenue"), default=True)
    invoiced_revenue_threshold = models.DecimalField(
        _("invoiced revenue in the last 12 months at least"),
        max_digits=16,
        decimal_places=2,
        default=Decimal("1000000"),
        validators=[MinValueValidator(Decimal(0))],
    )
    potential_enabled = models.BooleanField(_("rule: revenue potential"), default=True)
    potential_threshold = models.DecimalField(
        _("estimated revenue potential per year at least"),
        max_digits=16,
        decimal_places=2,
        default=Decimal("2000000"),
        validators=[MinValueValidator(Decimal(0))],
    )
    revenue_share_enabled = models.BooleanField(_("rule: share of company revenue"), default=False)
    revenue_share_percent = models.DecimalField(
        _("share of the company's invoiced revenue in the last 12 months at least (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    strategic_enabled = models.BooleanField(_("rule: strategic flag"), default=True)
    kam_capacity = models.PositiveSmallIntegerField(
        _("key accounts one KAM may hold"), default=8, validators=[MinValueValidator(1)]
    )
    handover_overdue_days = models.PositiveSmallIntegerField(
        _("a handover is overdue after (days)"), default=14, validators=[MinValueValidator(1)]
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("key-account rules")
        verbose_name_plural = _("key-account rules")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="keyaccount_rules_single_row"),
            models.CheckConstraint(
                condition=models.Q(revenue_share_percent__gt=0, revenue_share_percent__lte=100),
                name="keyaccount_rules_share_0_to_100",
            ),
            models.CheckConstraint(
                condition=models.Q(kam_capacity__gte=1), name="keyaccount_rules_capacity_min_1"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Key-account rules"))


class HandoverStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = [HandoverStatus.PROPOSED, HandoverStatus.SUBMITTED]


class Handover(models.Model):
    """An account handed from its owner to a KAM, with the dossier the KAM needs.

    proposed → submitted → accepted / rejected; proposed or submitted → withdrawn.
    """

    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="handovers",
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        on_delete=models.PROTECT,
        related_name="handovers_given",
        help_text=_("The account's owner when the handover was proposed."),
    )
    to_kam = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Key Account Manager"),
        on_delete=models.PROTECT,
        related_name="handovers_received",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handovers_proposed",
        help_text=_("Empty when Tandem proposed it because a key-account rule fired."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=HandoverStatus.choices, default=HandoverStatus.PROPOSED
    )
    reasons = models.JSONField(
        _("qualifying reasons"),
        default=list,
        blank=True,
        help_text=_("The key-account rules that fired when it was proposed."),
    )
    customer_needs = models.TextField(_("customer needs"), blank=True)
    commitments = models.TextField(_("commitments made"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    dossier = models.JSONField(
        _("dossier"),
        default=dict,
        blank=True,
        help_text=_("The facts Tandem assembled, as they were when the handover was submitted."),
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        indexes = [
            models.Index(fields=["to_kam", "status"]),
            models.Index(fields=["account", "status"]),
        ]
        constraints = [
            # one open handover of an account to the same KAM: a double click proposes once
            models.UniqueConstraint(
                fields=["account", "to_kam"],
                condition=models.Q(status__in=["proposed", "submitted"]),
                name="handover_one_open_per_account_and_kam",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(decision_reason=""),
                name="handover_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("Handover of {account} to {kam}").format(account=self.account, kam=self.to_kam)
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class HandoverAction(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    DOSSIER_SAVED = "dossier_saved", _("Dossier saved")
    SUBMITTED = "submitted", _("Submitted to the KAM")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class HandoverEvent(models.Model):
    """One step of a handover: who did what, when (and why)."""

    handover = models.ForeignKey(
        Handover, verbose_name=_("handover"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when Tandem did it."),
    )
    action = models.CharField(_("what"), max_length=20, choices=HandoverAction.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("handover step")
        verbose_name_plural = _("handover steps")

    def __str__(self) -> str:
        return f"{self.handover_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class RuleEvaluation(models.Model):
    """One company-wide evaluation of the key-account rules, kept for the day.

    Summing every account's trailing-12-month won value and invoiced revenue takes seconds at
    a million deals, so the candidates list reads the latest evaluation: it is made again on
    the first request of a new day, when the rules changed since (`rules_changed_at` differs
    from `KeyAccountRules.updated_at`), or when an admin asks for it. `RuleHit` holds the
    accounts that met at least one rule, with the reasons.
    """

    day = models.DateField(_("evaluated for"))
    rules_changed_at = models.DateTimeField(_("rules as changed at"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("evaluated at"), auto_now_add=True)
    hit_count = models.PositiveIntegerField(_("accounts meeting a rule"), default=0)

    class Meta:
        ordering = ["-evaluated_at", "-id"]
        verbose_name = _("key-account rule evaluation")
        verbose_name_plural = _("key-account rule evaluations")

    def __str__(self) -> str:
        return f"{self.day} ({self.hit_count})"


class RuleHit(models.Model):
    """An account that met at least one key-account rule in an evaluation, and why."""

    evaluation = models.ForeignKey(
        RuleEvaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="hits"
    )
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="rule_hits",
    )
    reasons = models.JSONField(_("qualifying reasons"), default=list)
    reason_count = models.PositiveSmallIntegerField(_("number of reasons"), default=0)

    class Meta:
        verbose_name = _("key-account rule hit")
        verbose_name_plural = _("key-account rule hits")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "account"], name="rule_hit_one_per_account"
            ),
        ]
        indexes = [models.Index(fields=["evaluation", "-reason_count"])]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.account_id}"
