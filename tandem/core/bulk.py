"""Bulk loads on PostgreSQL: the per-row foreign-key triggers, switched off where allowed.

Deferred foreign-key checks fire one trigger per inserted row, which costs more than a COPY
load itself. A superuser may switch them off for one transaction
(`session_replication_role = replica`); the caller then proves the new rows' keys with one
query per key and switches the triggers back on. Elsewhere (SQLite, a non-superuser) nothing
changes and the database checks every row as usual.
"""

from django.db import DatabaseError, connection, transaction


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
