"""Coaching notes: what a rep and their Sales Manager agreed, noticed or want to work on.

A note belongs to the rep it is about and is seen only by that rep and the manager of the rep's
team (not other reps, other managers, the Head of Sales or admins): see docs/hiring-and-coaching.md.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CoachingNote(models.Model):
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        related_name="coaching_notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.RESTRICT,
        related_name="coaching_notes_written",
    )
    written_on = models.DateField(_("date"))
    text = models.TextField(_("note"))
    goal = models.ForeignKey(
        "people.DevelopmentGoal",
        verbose_name=_("development goal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coaching_notes",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-written_on", "-pk"]
        verbose_name = _("coaching note")
        verbose_name_plural = _("coaching notes")

    def __str__(self) -> str:
        return f"{self.rep} · {self.written_on}"
