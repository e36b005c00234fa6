from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Product(models.Model):
    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    series = models.CharField(_("product line / series"), max_length=100, blank=True)
    list_price = models.DecimalField(
        _("list price"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["series", "name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(list_price__gte=0) | models.Q(list_price__isnull=True),
                name="product_list_price_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProductAlias(models.Model):
    """Another spelling of a product found in imported data (e.g. `GTXPro` for `GTX Pro`)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(_("alias"), max_length=200)

    class Meta:
        verbose_name = _("product alias")
        verbose_name_plural = _("product aliases")
        constraints = [models.UniqueConstraint(Lower("alias"), name="product_alias_unique_ci")]

    def __str__(self) -> str:
        return self.alias
