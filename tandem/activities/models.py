from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Customer visit")
    PRESENTATION = "presentation", _("Presentation")
    QBR = "qbr", _("Quarterly business review")
    EMAIL = "email", _("E-mail")
    NOTE = "note", _("Note")


class Activity(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    occurred_at = models.DateTimeField(_("when"))
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    deal = models.ForeignKey(
        "pipeline.Deal",
        verbose_name=_("deal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    contacts = models.ManyToManyField(
        "accounts.Contact", verbose_name=_("contacts"), blank=True, related_name="activities"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="activities",
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["account", "occurred_at"]),
            models.Index(fields=["deal", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return self.subject
