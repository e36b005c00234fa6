"""Writing many rows fast, for the domains' bulk services.

- Generated rows with their own primary keys (`IdAllocator`), written in batches by a
  `TableWriter`: `executemany` on SQLite, `COPY` on PostgreSQL, optionally on a second thread
  (`BackgroundWriter`) so making rows and writing them overlap. PostgreSQL's sequences are moved
  past the ids at the end (`reset_sequences`).
- The per-row foreign-key triggers of PostgreSQL, switched off where allowed: deferred
  foreign-key checks fire one trigger per inserted row, which costs more than a COPY load
  itself. A superuser may switch them off for one transaction
  (`session_replication_role = replica`); the caller then proves the new rows' keys with one
  query per key (`check_foreign_keys`) and switches the triggers back on. Elsewhere (SQLite, a
  non-superuser) nothing changes and the database checks every row as usual.

This module knows tables and rows, not rules: which rows a deal, an account or a revenue line
needs is decided by the domain that owns it (its `bulk.py`).
"""

import datetime
import queue
import threading

from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.models import Field, ForeignKey, Max, Model
from django.db.models.fields.reverse_related import ForeignObjectRel

BATCH_SIZE = 5_000


def column_of(field: Field | ForeignObjectRel) -> str:
    """The table column that holds a field (a reverse relation has none)."""
    column = getattr(field, "column", None)
    if not column:
        raise ValueError(f"{field.name} is no column of {field.model._meta.db_table}")
    return column


def skip_foreign_key_triggers() -> bool:
    """Stop row-by-row foreign-key checks for the rest of this transaction; False if not allowed."""
    if connection.vendor != "postgresql":
        return False
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True


def restore_foreign_key_triggers() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")


def counting_saves(rows, fields) -> list[str]:
    """The fields to bulk_update, with one more save counted on each row (as
    `core.models.Versioned.save` counts a single save), so an editor who read a row before
    an import is told it changed."""
    for row in rows:
        row.version += 1
    return sorted({*fields, "version"})


class IdAllocator:
    """Hands out primary keys above the largest one each table holds today."""

    def __init__(self, models: list[type[Model]]):
        self.next_id = {
            model: (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1 for model in models
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


class BackgroundWriter:
    """Runs the inserts on a second thread, so generating rows and writing them overlap.

    Both drivers release the GIL while the database works, so on two cores the generator keeps
    going while PostgreSQL or SQLite ingest the previous batch. The jobs use the connection of
    the current transaction, one at a time and in order; the generator itself does not touch the
    database while the writer runs. Leaving the `with` block waits for every job and re-raises a
    failed one.
    """

    def __init__(self, queue_size: int = 8):
        connection.ensure_connection()
        self.raw = connection.connection
        self.jobs: queue.Queue = queue.Queue(maxsize=queue_size)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="bulk-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                return
            if self.error is None:
                try:
                    job(self.raw)
                except BaseException as error:  # handed to the main thread
                    self.error = error

    def submit(self, job) -> None:
        self._raise_error()
        self.jobs.put(job)

    def close(self) -> None:
        if self.thread.is_alive():
            self.jobs.put(None)
            self.thread.join()
        self._raise_error()

    def _raise_error(self) -> None:
        """Re-raise a failed job here, as Django's exception (IntegrityError, …)."""
        if self.error is not None:
            error, self.error = self.error, None
            with connection.wrap_database_errors:
                raise error

    def __enter__(self) -> "BackgroundWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.thread.is_alive():
            self.jobs.put(None)
            self.thread.join()
        if exc_type is None:
            self._raise_error()


def _copy_job(sql: str, rows: list[tuple]):
    def job(raw) -> None:
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    return job


def _insert_job(sql: str, rows: list):
    def job(raw) -> None:
        cursor = raw.cursor()
        try:
            cursor.executemany(sql, rows)
        finally:
            cursor.close()

    return job


class TableWriter:
    """Buffers rows for one table and writes them in batches (through `sink` if given)."""

    def __init__(
        self,
        model: type[Model],
        columns: list[str],
        batch_size: int = BATCH_SIZE,
        sink: BackgroundWriter | None = None,
    ):
        self.model = model
        self.table = model._meta.db_table
        self.sink = sink
        fields = [model._meta.get_field(name) for name in columns]
        self.columns = [column_of(field) for field in fields]
        self.batch_size = batch_size
        self.rows: list[tuple] = []
        self.written = 0
        self.postgres = connection.vendor == "postgresql"
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        table = connection.ops.quote_name(self.table)
        if self.postgres:
            self.sql = f"COPY {table} ({quoted}) FROM STDIN"
        else:
            marks = ", ".join(["?"] * len(self.columns))
            self.sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"
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
        if self.postgres:
            job = _copy_job(self.sql, rows)
        else:
            if self.converters:
                positions = self.converters
                converted = []
                for row in rows:
                    values = list(row)
                    for i in positions:
                        values[i] = _utc_text(values[i])
                    converted.append(values)
                job = _insert_job(self.sql, converted)
            else:
                job = _insert_job(self.sql, rows)
        self.written += len(rows)
        if self.sink is not None:
            self.sink.submit(job)
        else:
            connection.ensure_connection()
            job(connection.connection)


def reset_sequences(models: list[type[Model]]) -> None:
    """After inserting explicit ids, let the database hand out the next ones after them."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def check_foreign_keys(first_ids: dict[type[Model], int]) -> None:
    """Every foreign key of the rows inserted from `first_ids` on points at an existing row."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, first_id in first_ids.items():
            for field in model._meta.concrete_fields:
                if not isinstance(field, ForeignKey):  # the only concrete relation fields
                    continue
                target = field.target_field
                column = quote(column_of(field))
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(model._meta.db_table)} c "
                    f"WHERE c.{quote(column_of(model._meta.pk))} >= %s "
                    f"AND c.{column} IS NOT NULL AND NOT EXISTS ("
                    f"SELECT 1 FROM {quote(target.model._meta.db_table)} p "
                    f"WHERE p.{quote(column_of(target))} = c.{column})",
                    [first_id],
                )
                missing = cursor.fetchone()[0]
                if missing:
                    raise RuntimeError(
                        f"{missing} rows of {model._meta.db_table}.{field.column} point at nothing"
                    )
    restore_foreign_key_triggers()
