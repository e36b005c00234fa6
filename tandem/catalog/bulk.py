"""Writing many products and aliases at once, with the rules of one (see services.py): the
same validation, the same audit rows, a few statements instead of one per row."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tandem.audit.services import record_many
from tandem.catalog.models import Product, ProductAlias
from tandem.catalog.services import alias_audit, created_audit
from tandem.core.bulk import BackgroundWriter, TableWriter
from tandem.core.errors import RowsRejected, problems_of
from tandem.core.services import set_changes
from tandem.users.models import User

BATCH_SIZE = 2000


@dataclass
class ProductWrite:
    """One row: a new product (`product` None) or the fields a row sets on `product`."""

    fields: dict
    product: Product | None = None
    line: int | None = None
    created: bool = field(default=False, init=False)
    changed: bool = field(default=False, init=False)


def upsert_products(
    writes: list[ProductWrite], *, acting_user: User | None, imported_from: str | None = None
) -> list[Product]:
    """Create and update products as create_product / update_product would, in bulk; returns
    them in the order of `writes`."""
    problems: list[tuple[int | None, str]] = []
    new: list[Product] = []
    changed: list[Product] = []
    changed_fields: set[str] = set()
    updates: list[tuple[Product, str, dict]] = []
    products: list[Product] = []
    for write in writes:
        try:
            if write.product is None:
                product = Product(**write.fields)
                product.clean_fields()
                write.created = write.changed = True
                new.append(product)
            else:
                product = write.product
                diff = set_changes(product, write.fields)
                if diff:
                    product.clean_fields()
                if diff:
                    write.changed = True
                    changed.append(product)
                    changed_fields.update(diff)
                    updates.append((product, "product.updated", diff))
        except ValidationError as error:
            problems.extend((write.line, text) for text in problems_of(error))
            continue
        products.append(product)
    if problems:
        raise RowsRejected(problems)
    Product.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if new and new[0].pk is None:  # backends without RETURNING
        ids = dict(Product.objects.filter(code__in=[p.code for p in new]).values_list("code", "pk"))
        for product in new:
            product.pk = ids[product.code]
    if changed:
        Product.objects.bulk_update(changed, sorted(changed_fields), batch_size=BATCH_SIZE)
    record_many(
        [(p, *created_audit(imported_from=imported_from)) for p in new] + updates,
        acting_user=acting_user,
    )
    return products


def add_product_aliases(
    aliases: list[tuple[Product, str]], *, acting_user: User | None
) -> list[ProductAlias]:
    """Teach the catalogue other spellings: an alias that already stands for another product
    refuses the whole call; a known one is kept."""
    known = {a.alias.casefold(): a for a in ProductAlias.objects.all()}
    problems: list[tuple[int | None, str]] = []
    new: list[ProductAlias] = []
    result: list[ProductAlias] = []
    for product, alias in aliases:
        alias = alias.strip()
        existing = known.get(alias.casefold())
        if existing is not None:
            if existing.product_id != product.pk:
                problems.append(
                    (
                        None,
                        _("The alias {alias} already stands for another product.").format(
                            alias=alias
                        ),
                    )
                )
            result.append(existing)
            continue
        created = ProductAlias(product=product, alias=alias)
        known[alias.casefold()] = created
        new.append(created)
        result.append(created)
    if problems:
        raise RowsRejected(problems)
    ProductAlias.objects.bulk_create(new, batch_size=BATCH_SIZE)
    record_many([(a.product, *alias_audit(a.alias)) for a in new], acting_user=acting_user)
    return result


class ProductRows:
    """Products written as rows with ids of their own (the demo's catalogue)."""

    def __init__(self, sink: BackgroundWriter | None = None):
        self.products = TableWriter(
            Product, ["id", "code", "name", "series", "list_price", "is_active"], sink=sink
        )
        self.writers = [self.products]
