from django.db import models
from django.utils.translation import gettext_lazy as _


class RevenueLine(models.Model):
    """Invoiced revenue of one account for one product on one day, net of cancellations."""

    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="revenue_lines",
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="revenue_lines",
    )
    invoiced_on = models.DateField(_("invoiced on"))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3, default=0)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["invoiced_on", "id"]
        verbose_name = _("revenue line")
        verbose_name_plural = _("revenue lines")
        indexes = [models.Index(fields=["account", "invoiced_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "product", "invoiced_on"], name="revenue_line_unique_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.product_id} {self.invoiced_on}: {self.amount}"
