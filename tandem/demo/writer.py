"""Fast, bounded-memory inserts for generated rows: `executemany` on SQLite, `COPY` on PostgreSQL.

Rows carry their own primary keys, allocated from the table's current maximum, so foreign keys
can be set without reading anything back; PostgreSQL's sequences are moved past them at the end.
"""

import datetime

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Model

BATCH_SIZE = 5_000


class IdAllocator:
    """Hands out primary keys above the largest one each table holds today."""

    def __init__(self, models: list[type[Model]]):
        self.next_id = {
            model: (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1 for model in models
        }

    def take(self, model: type[Model]) -> int:
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value


def _utc_text(value):
    """SQLite keeps datetimes as naive UTC text, as Django's own backend writes them."""
    if value is None:
        return None
    if value.tzinfo is not datetime.UTC:
        value = value.astimezone(datetime.UTC)
    return value.replace(tzinfo=None).isoformat(" ")


class TableWriter:
    """Buffers rows for one table and writes them in batches."""

    def __init__(self, model: type[Model], columns: list[str], batch_size: int = BATCH_SIZE):
        self.model = model
        self.table = model._meta.db_table
        fields = [model._meta.get_field(name) for name in columns]
        self.columns = [field.column for field in fields]
        self.batch_size = batch_size
        self.rows: list[tuple] = []
        self.written = 0
        self.postgres = connection.vendor == "postgresql"
        # Only datetimes need converting for SQLite; dates, decimals and booleans are adapted
        # by the driver on both databases.
        self.converters = None
        if not self.postgres:
            datetime_positions = [
                i for i, field in enumerate(fields) if field.get_internal_type() == "DateTimeField"
            ]
            if datetime_positions:
                self.converters = datetime_positions

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        rows = self.rows
        self.rows = []
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        table = connection.ops.quote_name(self.table)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                if self.converters:
                    positions = self.converters
                    converted = []
                    for row in rows:
                        row = list(row)
                        for i in positions:
                            row[i] = _utc_text(row[i])
                        converted.append(row)
                    rows = converted
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", rows)
        self.written += len(rows)


def reset_sequences(models: list[type[Model]]) -> None:
    """After inserting explicit ids, let the database hand out the next ones after them."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def skip_foreign_key_triggers() -> bool:
    """On PostgreSQL, stop checking foreign keys row by row for the rest of this transaction.

    Deferred foreign-key checks fire one trigger per row at commit, which costs more than the
    load itself. A superuser may switch them off for the transaction (`session_replication_role
    = replica`); `check_foreign_keys` then checks the new rows with one query per key instead.
    Returns False (and changes nothing) where that is not allowed or not PostgreSQL.
    """
    if connection.vendor != "postgresql":
        return False
    from django.db import DatabaseError, transaction

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True


def check_foreign_keys(first_ids: dict[type[Model], int]) -> None:
    """Every foreign key of the rows inserted from `first_ids` on points at an existing row."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, first_id in first_ids.items():
            for field in model._meta.concrete_fields:
                if not field.is_relation:
                    continue
                target = field.target_field
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(model._meta.db_table)} c "
                    f"WHERE c.{quote(model._meta.pk.column)} >= %s "
                    f"AND c.{quote(field.column)} IS NOT NULL AND NOT EXISTS ("
                    f"SELECT 1 FROM {quote(target.model._meta.db_table)} p "
                    f"WHERE p.{quote(target.column)} = c.{quote(field.column)})",
                    [first_id],
                )
                missing = cursor.fetchone()[0]
                if missing:
                    raise RuntimeError(
                        f"{missing} rows of {model._meta.db_table}.{field.column} point at nothing"
                    )
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
