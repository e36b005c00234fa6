"""Approvals: a change that would raise the asker's own pay, kept until someone else decides.

The change is stored as its kind (which service applies it), what it changes and the payload
that service needs; the records it touches stay as they were until the approval is given.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import CompanyWide


class ApprovalRules(CompanyWide):
    """Company-wide: which changes to one's own pay need a second person's approval (one row,
    like the key-account rules)."""

    own_quotas = models.BooleanField(
        _("a change to one's own or one's own team's quota needs approval"), default=True
    )
    own_deal_wins = models.BooleanField(
        _("winning one's own deal, or raising the value of one's own won deal, needs approval"),
        default=True,
    )
    win_threshold = models.DecimalField(
        _("for deals worth at least"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("50000"),
        help_text=_("A smaller own deal is won without approval."),
    )

    class Meta:
        verbose_name = _("approval rules")
        verbose_name_plural = _("approval rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(win_threshold__gte=0), name="approval_threshold_not_negative"
            )
        ]

    def __str__(self) -> str:
        return str(_("Approval rules"))


class ApprovalRule(models.TextChoices):
    """Why a change waits for approval."""

    OWN_QUOTA = "own_quota", _("It changes the asker's own or own team's quota.")
    OWN_DEAL_WON = "own_deal_won", _("It wins the asker's own deal above the threshold.")
    OWN_WON_DEAL_VALUE = (
        "own_won_deal_value",
        _("It raises the value of the asker's own won deal."),
    )


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Approval(models.Model):
    """One change asked for, waiting for (or decided by) a second person."""

    kind = models.CharField(_("kind"), max_length=50)
    rule = models.CharField(_("why approval is needed"), max_length=30, choices=ApprovalRule)
    subject_type = models.CharField(_("record type"), max_length=100)
    subject_id = models.CharField(_("record"), max_length=50, blank=True)
    subject_repr = models.CharField(_("what"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("note from the asker"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="approvals_asked",
    )
    requested_at = models.DateTimeField(_("asked"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ApprovalStatus, default=ApprovalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approvals_decided",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        indexes = [models.Index(fields=["status", "requested_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("requested_by")),
                name="approval_not_by_the_asker",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_repr} ({self.get_status_display()})"
