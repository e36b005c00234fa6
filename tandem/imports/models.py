from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    SUCCEEDED = "succeeded", _("Imported")
    UNCHANGED = "unchanged", _("Already imported, nothing changed")
    REJECTED = "rejected", _("Rejected, nothing imported")


class ImportRun(models.Model):
    """One attempt to import a file, with its report (counts, rejected rows, notes)."""

    kind = models.CharField(_("kind"), max_length=30)
    file_name = models.CharField(_("file"), max_length=500)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    report = models.JSONField(_("report"), default=dict)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["kind", "sha256"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.status})"
