"""Import of invoice lines (the shape of the UCI Online Retail data) into revenue lines.

InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country.

- customers become accounts `retail:<CustomerID>` named "Customer <id>" in their most frequent
  country, owned by `owner` (default: the first active admin); existing accounts are matched,
  not changed;
- stock codes become products (code = StockCode, name = its most frequent description);
  existing products are matched by code and not changed;
- lines are summed per (account, product, day): quantity and amount = quantity × unit price.
  Cancellations (InvoiceNo starting with C) are negative lines in the same sums, so they are
  netted against the sales of their day; they are counted in the report;
- set aside, counted and summed per reason (the first that applies, in this order), never lost:
  no customer; a non-product code (postage, carriage, fees, manual adjustments, discounts,
  samples, bad debt, gift vouchers: NON_PRODUCT_CODES below); price zero or negative; an exact
  duplicate of an earlier line. `set_aside=FILE` writes those lines out with line and reason;
- a line that cannot be read (wrong number of columns, a quantity, price or date that is not
  one) rejects the whole file, every such line named;
- re-importing the same file computes the same sums: nothing is written, the run says so.
"""

from __future__ import annotations

import csv
import datetime
import gc
import gzip
import io
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext_noop
from tqdm import tqdm

from tandem.accounts.bulk import AccountWrite, upsert_accounts
from tandem.accounts.models import Account
from tandem.catalog.bulk import ProductWrite, upsert_products
from tandem.catalog.models import Product
from tandem.imports.readers import is_gzip
from tandem.imports.services import (
    ImportReport,
    ImportResult,
    file_sha256,
    run_import,
)
from tandem.revenue.models import RevenueLine
from tandem.revenue.services import upsert_revenue_lines
from tandem.users.models import User
from tandem.users.selectors import default_acting_user

COLUMNS = [
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
]
NON_PRODUCT_CODES = {
    "POST": "postage",
    "DOT": "dotcom postage",
    "C2": "carriage",
    "M": "manual adjustment",
    "BANK CHARGES": "bank charges",
    "AMAZONFEE": "Amazon fee",
    "CRUK": "CRUK commission",
    "D": "discount",
    "S": "samples",
    "B": "bad debt adjustment",
    "PADS": "placeholder (pads to match cushions, priced 0.001)",
}
NON_PRODUCT_PREFIXES = ("gift_",)  # gift vouchers: a means of payment, not goods
SCALE = 1_000_000  # amounts are summed as integers in millionths: exact and fast
PROGRESS_EVERY = 20_000

REASONS = {
    "no_customer": gettext_noop("no customer"),
    "non_product": gettext_noop("not a product (postage, fees, adjustments, vouchers)"),
    "bad_price": gettext_noop("price zero or negative"),
    "duplicate": gettext_noop("exact duplicate of an earlier line"),
}


def is_non_product(code: str) -> bool:
    return code.upper() in NON_PRODUCT_CODES or code.startswith(NON_PRODUCT_PREFIXES)


def to_millionths(price_text: str) -> int:
    """A price as an exact integer number of millionths; more decimals than that is an error."""
    scaled = Decimal(price_text) * SCALE
    if scaled != scaled.to_integral_value():
        raise ValueError(price_text)
    return int(scaled)


def to_amount(millionths: int) -> Decimal:
    """Round half up (away from zero) to cents, with integers only."""
    half = SCALE // 200
    cents = (
        (millionths + half) // (SCALE // 100)
        if millionths >= 0
        else -((-millionths + half) // (SCALE // 100))
    )
    return Decimal(cents).scaleb(-2)


def money(millionths: int) -> str:
    return str(to_amount(millionths))


def customer_ref(customer: str) -> str:
    return f"retail:{customer}"


class RevenueImport:
    def __init__(self, path: Path, owner: User | None, set_aside: Path | None, progress: bool):
        self.path = path
        self.owner = owner
        self.set_aside_path = set_aside
        self.progress = progress

    def open(self, report: ImportReport):
        if not self.path.exists():
            raise report.fail(gettext_noop("The file {path} does not exist."), path=str(self.path))
        binary = gzip.open(self.path, "rb") if is_gzip(self.path) else open(self.path, "rb")  # noqa: SIM115
        return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")

    def parse(self, report: ImportReport) -> None:
        sums: dict[tuple[str, str, str], list] = {}
        descriptions: Counter = Counter()  # (code, description) -> lines
        countries: Counter = Counter()  # (customer, country) -> lines
        days: dict[str, datetime.date] = {}
        prices: dict[str, int] = {}  # price text -> millionths
        seen: set[tuple] = set()
        non_product: dict[str, bool] = {}
        set_aside = {reason: [0, 0] for reason in REASONS}
        aside_rows: list[tuple[int, str, list[str]]] | None = [] if self.set_aside_path else None
        cancellations = [0, 0]
        lines = imported = 0
        bar = tqdm(desc="lines", unit=" lines", disable=not self.progress, unit_scale=True)
        handle = self.open(report)
        try:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise report.fail(gettext_noop("The file is empty."))
            header = [h.strip() for h in header]
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise report.fail(
                    gettext_noop("Missing column(s) {missing}; columns found: {found}."),
                    missing=", ".join(missing),
                    found=", ".join(header),
                )
            index = [header.index(c) for c in COLUMNS]
            width = len(header)
            plain = index == list(range(8)) and width == 8
            for row in reader:
                lines += 1
                if lines % PROGRESS_EVERY == 0:
                    bar.update(PROGRESS_EVERY)
                if len(row) != width:
                    if not any(row):
                        continue
                    report.reject(
                        reader.line_num,
                        gettext_noop("{found} columns instead of {expected}."),
                        found=len(row),
                        expected=width,
                    )
                    continue
                if plain:
                    invoice, code, desc, qty_text, when, price_text, customer, country = row
                else:
                    invoice, code, desc, qty_text, when, price_text, customer, country = (
                        row[i] for i in index
                    )
                try:
                    qty = int(qty_text)
                    price = prices.get(price_text)
                    if price is None:
                        price = prices[price_text] = to_millionths(price_text)
                    day_text = when[:10]
                    day = days.get(day_text)
                    if day is None:
                        day = days[day_text] = datetime.date.fromisoformat(day_text)
                except (ValueError, InvalidOperation, ArithmeticError):
                    report.reject(
                        reader.line_num,
                        gettext_noop(
                            "quantity “{qty}”, price “{price}” or date “{date}” cannot be read."
                        ),
                        qty=qty_text,
                        price=price_text,
                        date=when,
                    )
                    continue
                if not customer:
                    reason = "no_customer"
                elif (
                    non_product[code]
                    if code in non_product
                    else non_product.setdefault(code, is_non_product(code))
                ):
                    reason = "non_product"
                elif price <= 0:
                    reason = "bad_price"
                else:
                    key = tuple(row)
                    if key in seen:
                        reason = "duplicate"
                    else:
                        seen.add(key)
                        reason = None
                amount = qty * price
                if reason is not None:
                    entry = set_aside[reason]
                    entry[0] += 1
                    entry[1] += amount
                    if aside_rows is not None:
                        aside_rows.append((reader.line_num, reason, row))
                    continue
                if customer.endswith(".0"):
                    customer = customer[:-2]
                imported += 1
                if invoice[:1] in "Cc":
                    cancellations[0] += 1
                    cancellations[1] += amount
                key = (customer, code, day)
                entry = sums.get(key)
                if entry is None:
                    sums[key] = [qty, amount]
                else:
                    entry[0] += qty
                    entry[1] += amount
                if desc:
                    descriptions[code, desc] += 1
                countries[customer, country] += 1
        except UnicodeDecodeError as error:
            raise report.fail(
                gettext_noop(
                    "The file is not UTF-8 (unreadable byte near line {line}); save it as UTF-8."
                ),
                line=lines + 1,
            ) from error
        except (OSError, EOFError, csv.Error) as error:
            raise report.fail(
                gettext_noop("The file cannot be read near line {line}: {error}"),
                line=lines + 1,
                error=str(error),
            ) from error
        finally:
            bar.update(lines % PROGRESS_EVERY)
            bar.close()
            handle.close()
        self.sums = sums
        self.descriptions: dict[str, Counter] = defaultdict(Counter)
        for (code, desc), n in descriptions.items():
            self.descriptions[code][desc] = n
        self.countries: dict[str, Counter] = defaultdict(Counter)
        for (customer, country), n in countries.items():
            self.countries[customer][country] = n
        self.aside_rows = aside_rows
        self.header = header
        report.stats.update(
            {
                "lines": lines,
                "lines_imported": imported,
                "cancellations": {"lines": cancellations[0], "amount": money(cancellations[1])},
                "set_aside": {
                    reason: {"lines": n, "amount": money(total)}
                    for reason, (n, total) in set_aside.items()
                },
                "amount_imported": money(sum(v[1] for v in sums.values())),
            }
        )
        report.note(
            gettext_noop(
                "{lines} lines read, {imported} imported into {rows} revenue lines per customer, "
                "product and day."
            ),
            lines=lines,
            imported=imported,
            rows=len(sums),
        )
        report.note(
            gettext_noop("{count} cancellation lines (amount {amount}) were netted against sales."),
            count=cancellations[0],
            amount=money(cancellations[1]),
        )
        for reason, (n, total) in set_aside.items():
            if n:
                report.note(
                    gettext_noop("Set aside, {reason}: {count} lines (amount {amount})."),
                    reason={"text": REASONS[reason], "params": {}},
                    count=n,
                    amount=money(total),
                )

    def write(self, report: ImportReport, acting_user: User | None) -> None:
        customers = sorted(self.countries)
        existing = dict(
            Account.objects.filter(external_ref__startswith="retail:").values_list(
                "external_ref", "pk"
            )
        )
        new = [c for c in customers if customer_ref(c) not in existing]
        if new:
            owner = self.owner or default_acting_user()
            if owner is None:
                raise report.fail(
                    gettext_noop(
                        "New customer accounts need an owner: pass --owner USERNAME "
                        "or create an active admin first."
                    )
                )
            writes = []
            for customer in new:
                country = min(self.countries[customer].items(), key=lambda kv: (-kv[1], kv[0]))[0]
                fields = {
                    "name": f"Customer {customer}"[:200],
                    "external_ref": customer_ref(customer),
                    "country": country[:100],
                    "owner": owner,
                }
                writes.append(AccountWrite(fields))
            created = upsert_accounts(writes, acting_user=acting_user, imported_from="revenue")
            existing.update((account.external_ref, account.pk) for account in created)
        report.count("accounts", created=len(new), unchanged=len(customers) - len(new))
        account_id = {c: existing[customer_ref(c)] for c in customers}

        codes = sorted(self.descriptions.keys() | {code for _, code, _ in self.sums})
        products = dict(Product.objects.values_list("code", "pk"))  # no huge IN (...)
        new_codes = [c for c in codes if c not in products]
        if new_codes:
            writes = []
            for code in new_codes:
                names = self.descriptions.get(code)
                name = min(names.items(), key=lambda kv: (-kv[1], kv[0]))[0] if names else code
                writes.append(ProductWrite({"code": code[:50], "name": name[:200]}))
            created = upsert_products(writes, acting_user=acting_user, imported_from="revenue")
            products.update((product.code, product.pk) for product in created)
        report.count("products", created=len(new_codes), unchanged=len(codes) - len(new_codes))

        rows = [
            (
                account_id[customer],
                products[code],
                day,
                Decimal(qty),
                to_amount(amount),
            )
            for (customer, code, day), (qty, amount) in self.sums.items()
        ]
        rows.sort()  # in key order: index inserts stay local (much faster on big imports)
        before = RevenueLine.objects.count()
        written = upsert_revenue_lines(rows)
        created = RevenueLine.objects.count() - before
        updated = written - created
        report.count(
            "revenue lines", created=created, updated=updated, unchanged=len(rows) - written
        )
        report.stats["customers"] = len(customers)
        report.stats["products"] = len(codes)
        report.stats["revenue_lines"] = len(self.sums)

    def write_set_aside(self) -> None:
        if self.set_aside_path is None or self.aside_rows is None:
            return
        with open(self.set_aside_path, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["line", "reason", *self.header])
            for line, reason, row in self.aside_rows:
                writer.writerow([line, reason, *row])


def import_revenue(
    path: Path | str,
    *,
    acting_user: User | None,
    owner: User | None = None,
    set_aside: Path | str | None = None,
    dry_run: bool = False,
    progress: bool = False,
) -> ImportResult:
    path = Path(path)
    importer = RevenueImport(path, owner, Path(set_aside) if set_aside else None, progress)

    def work(report: ImportReport) -> None:
        # millions of small tuples and lists, none of them cyclic: the cyclic garbage
        # collector would rescan them again and again (about half the time of the import)
        collecting = gc.isenabled()
        gc.disable()
        try:
            importer.parse(report)
            report.check()
            importer.write(report, acting_user)
        finally:
            if collecting:
                gc.enable()

    sha = file_sha256([path]) if path.exists() else ""
    result = run_import("revenue", str(path), sha, work, acting_user=acting_user, dry_run=dry_run)
    if result.ok:
        importer.write_set_aside()
    return result
