"""Writes of revenue lines: bulk upserts per (account, product, day), fast on both databases.

An ERP delivers hundreds of thousands of invoice lines; they arrive here already aggregated to
one row per account, product and day. SQLite gets one executemany in the caller's transaction;
PostgreSQL gets COPY into a temporary table and one INSERT … ON CONFLICT DO UPDATE. The
accounts written are told to the keepers of derived figures (tandem.core.touched).
"""

import datetime
import functools
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction

from tandem.core.bulk import (
    BackgroundWriter,
    TableWriter,
    column_of,
    restore_foreign_key_triggers,
    skip_foreign_key_triggers,
)
from tandem.core.touched import touched
from tandem.revenue.models import RevenueLine

RevenueRow = tuple[int, int, datetime.date, Decimal, Decimal]  # account, product, day, qty, amount


def _names() -> tuple[str, list[str]]:
    meta = RevenueLine._meta
    columns = [
        column_of(meta.get_field(name))
        for name in ("account", "product", "invoiced_on", "quantity", "amount")
    ]
    return meta.db_table, columns


@transaction.atomic
def upsert_revenue_lines(rows: Iterable[RevenueRow]) -> int:
    """Insert or replace the lines for each (account, product, day).

    Returns how many rows were inserted or really changed: a row whose quantity and amount
    are already those given is left alone (so re-importing the same data writes nothing).
    """
    rows = list(rows)
    if not rows:
        return 0
    touched("revenue", accounts={row[0] for row in rows})
    table, columns = _names()
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in columns)
    key = ", ".join(qn(c) for c in columns[:3])
    update = ", ".join(f"{qn(c)} = excluded.{qn(c)}" for c in columns[3:])
    differs = " OR ".join(
        f"{qn(table)}.{qn(c)} IS DISTINCT FROM excluded.{qn(c)}"
        if connection.vendor == "postgresql"
        else f"{qn(table)}.{qn(c)} IS NOT excluded.{qn(c)}"
        for c in columns[3:]
    )
    if connection.vendor == "postgresql":
        account_table = RevenueLine._meta.get_field("account").related_model._meta.db_table
        product_table = RevenueLine._meta.get_field("product").related_model._meta.db_table
        with connection.cursor() as cursor:
            raw = cursor.cursor
            raw.execute(
                "CREATE TEMP TABLE tandem_revenue_import (account_id bigint, product_id bigint, "
                "invoiced_on date, quantity numeric(14,3), amount numeric(14,2)) ON COMMIT DROP"
            )
            with raw.copy(
                "COPY tandem_revenue_import (account_id, product_id, invoiced_on, quantity, amount)"
                " FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
            # The ids were read from the database in this transaction; one query proves it,
            # and then (where allowed) the per-row foreign-key triggers are skipped for the
            # insert: they would cost more than the insert itself.
            raw.execute(
                "SELECT COUNT(*) FROM tandem_revenue_import t WHERE NOT EXISTS "
                f"(SELECT 1 FROM {qn(account_table)} a WHERE a.id = t.account_id) "
                f"OR NOT EXISTS (SELECT 1 FROM {qn(product_table)} p WHERE p.id = t.product_id)"
            )
            (dangling,) = raw.fetchone()
            if dangling:
                raise ValueError(f"{dangling} revenue rows point at no account or product")
            skipped = skip_foreign_key_triggers()
            # only new or changed rows reach the upsert: unchanged rows are not even locked
            raw.execute(
                f"INSERT INTO {qn(table)} ({cols}) "
                "SELECT t.account_id, t.product_id, t.invoiced_on, t.quantity, t.amount "
                f"FROM tandem_revenue_import t LEFT JOIN {qn(table)} r "
                f"ON r.{qn(columns[0])} = t.account_id AND r.{qn(columns[1])} = t.product_id "
                f"AND r.{qn(columns[2])} = t.invoiced_on "
                f"WHERE r.{qn(columns[0])} IS NULL "
                f"OR r.{qn(columns[3])} IS DISTINCT FROM t.quantity "
                f"OR r.{qn(columns[4])} IS DISTINCT FROM t.amount "
                f"ON CONFLICT ({key}) DO UPDATE SET {update} WHERE {differs}"
            )
            written = raw.rowcount
            if skipped:
                restore_foreign_key_triggers()
            raw.execute("DROP TABLE tandem_revenue_import")
        return written
    sql = (
        f"INSERT INTO {qn(table)} ({cols}) VALUES (%s, %s, %s, %s, %s) "
        f"ON CONFLICT ({key}) DO UPDATE SET {update} WHERE {differs}"
    )
    day = functools.cache(datetime.date.isoformat)
    with connection.cursor() as cursor:
        # a bigger page cache for this connection while the indexes grow, then back
        cursor.execute("PRAGMA cache_size")
        (cache_size,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -131072")
        try:
            cursor.executemany(
                sql,
                # floats are stored exactly as Django's decimal strings would be (REAL
                # or INTEGER by the column's NUMERIC affinity), without formatting text
                [(a, p, day(d), float(q), float(m)) for a, p, d, q, m in rows],
            )
            return cursor.rowcount
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


class RevenueRows:
    """Revenue lines written as rows with ids of their own, for generated organisations (the
    demo): COPY/executemany batches (tandem.core.bulk), one line per account, product and
    day, as `upsert_revenue_lines` keeps them."""

    def __init__(self, sink: BackgroundWriter | None = None):
        self.lines = TableWriter(
            RevenueLine,
            ["id", "account", "product", "invoiced_on", "quantity", "amount"],
            sink=sink,
        )
        self.writers = [self.lines]
