from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PostKind(models.TextChoices):
    """Who writes for whom: KAMs write insights for the sales side, Sales Managers write
    announcements for the KAMs."""

    INSIGHT = "insight", _("Insight")
    ANNOUNCEMENT = "announcement", _("Announcement")


class Post(models.Model):
    """An insight (customer needs, market trends: from a KAM for the sales side) or an
    announcement (new products, initiatives: from a Sales Manager for the KAMs), tagged by
    account, product and sector. Untagged posts concern the whole other side."""

    kind = models.CharField(_("kind"), max_length=20, choices=PostKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,  # users are deactivated, not deleted (except the demo's)
        related_name="insight_posts",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    accounts = models.ManyToManyField(
        "accounts.Account", verbose_name=_("accounts"), blank=True, related_name="insight_posts"
    )
    products = models.ManyToManyField(
        "catalog.Product", verbose_name=_("products"), blank=True, related_name="insight_posts"
    )
    sectors = models.ManyToManyField(
        "accounts.Sector", verbose_name=_("sectors"), blank=True, related_name="insight_posts"
    )
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("edited"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("insight or announcement")
        verbose_name_plural = _("insights and announcements")
        indexes = [models.Index(fields=["kind", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["insight", "announcement"]), name="post_kind_known"
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="post_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title
