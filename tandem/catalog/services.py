"""Writes to the product catalogue, and the one way imports find a product by what a file says.

A file names a product by its code, its name or one of its aliases (another spelling found in
imported data). `ProductLookup` answers that for many rows with one query per table.
"""

import re

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from tandem.audit.services import record
from tandem.catalog.models import Product, ProductAlias
from tandem.core.errors import DomainError
from tandem.core.services import apply_changes, validate_new
from tandem.users.models import User


def normalize(text: str) -> str:
    """Case- and space-insensitive form of a product name: `GTX Pro` == `gtxpro`."""
    return re.sub(r"[\s\-_./]+", "", text or "").casefold()


class ProductLookup:
    """Finds products by code, name or alias (case-insensitive), loaded once."""

    def __init__(self):
        self.by_code: dict[str, Product] = {}
        self.by_name: dict[str, Product] = {}
        self.by_alias: dict[str, Product] = {}
        products = {p.pk: p for p in Product.objects.all()}
        for product in products.values():
            self.add(product)
        for alias in ProductAlias.objects.all():
            self.by_alias[alias.alias.casefold()] = products[alias.product_id]

    def add(self, product: Product) -> None:
        self.by_code[product.code.casefold()] = product
        self.by_name.setdefault(product.name.casefold(), product)

    def add_alias(self, alias: str, product: Product) -> None:
        self.by_alias[alias.casefold()] = product

    def find(self, text: str) -> Product | None:
        """The product whose code, name or alias is `text` (ignoring case), or None."""
        key = (text or "").strip().casefold()
        if not key:
            return None
        return self.by_code.get(key) or self.by_name.get(key) or self.by_alias.get(key)


def created_audit(*, imported_from: str | None = None) -> tuple[str, dict]:
    """The audit row of a new product: made here, or brought by an import."""
    if imported_from:
        return "product.imported", {"import": imported_from}
    return "product.created", {}


def alias_audit(alias: str) -> tuple[str, dict]:
    return "product.alias_added", {"alias": alias}


@transaction.atomic
def create_product(*, acting_user: User | None, **fields) -> Product:
    product = validate_new(Product(**fields))
    product.save()
    action, changes = created_audit()
    record(product, action, acting_user=acting_user, changes=changes)
    return product


@transaction.atomic
def update_product(product: Product, *, acting_user: User | None, **changes) -> Product:
    product = Product.objects.select_for_update().get(pk=product.pk)
    diff = apply_changes(product, changes)
    if diff:
        product.save()
        record(product, "product.updated", acting_user=acting_user, changes=diff)
    return product


@transaction.atomic
def delete_product(product: Product, *, acting_user: User | None) -> None:
    """Delete a product and its aliases; never one that deals or revenue lines refer to."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    record(product, "product.deleted", acting_user=acting_user, changes={"code": product.code})
    try:
        product.delete()
    except ProtectedError as error:
        raise DomainError(
            _("Deals or revenue refer to this product; mark it inactive instead.")
        ) from error
