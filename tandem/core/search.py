"""Case-insensitive search that also folds non-ASCII letters on SQLite.

SQLite's LIKE folds only A–Z, so "müller" did not find "Müller" on the embedded default
(PostgreSQL's ILIKE folds Unicode). On SQLite, `icontains` compares both sides through
Python's str.casefold, registered as the SQL function tandem_casefold.
"""

from django.db.backends.signals import connection_created
from django.db.models import CharField, TextField
from django.db.models.lookups import IContains


def _casefold(value):
    return value.casefold() if isinstance(value, str) else value


def register_casefold(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("tandem_casefold", 1, _casefold, deterministic=True)


class UnicodeIContains(IContains):
    def as_sqlite(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return self.as_sql(compiler, connection)
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        params = [*lhs_params, *(_casefold(value) for value in rhs_params)]
        return f"tandem_casefold({lhs_sql}) LIKE {rhs_sql} ESCAPE '\\'", params


def install() -> None:
    connection_created.connect(register_casefold, dispatch_uid="tandem_casefold")
    CharField.register_lookup(UnicodeIContains)
    TextField.register_lookup(UnicodeIContains)
