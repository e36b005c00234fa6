"""Reads that may be a moment behind go to a PostgreSQL read replica; writes, and the reads of
whoever has just written, go to the primary (docs/replicas.md).

DATABASE_REPLICA_URLS (settings.py) adds one database per replica ("replica1", …) and installs
the router and the middleware below; without it neither runs and every query goes to the
primary, as before. A request reads from a replica when it is a GET or HEAD from someone who has
not written in the last REPLICA_PIN_SECONDS (a signed cookie says when they did), until it writes
itself or opens a transaction on the primary. A command or job reads from the primary unless it
opts in with `reading_from_replica()`. A replica that cannot be reached or is too far behind is
left alone for REPLICA_CHECK_SECONDS: its reads go to another replica or the primary, and no
request fails for it.
"""

import contextlib
import contextvars
import logging
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse

PRIMARY = DEFAULT_DB_ALIAS
# Who is asking is always read from the primary: an ended session, a changed password or a
# revoked token takes effect at once, not once the replica has caught up.
ALWAYS_PRIMARY = {"sessions.Session", "users.User", "users.ApiToken"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
WROTE_COOKIE = "tandem_wrote"
# the first word of a statement that writes (none is longer than 8 letters)
WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE", "COPY", "TRUNCATE", "CREATE", "ALTER", "DROP")
LAG_QUERY = """
    SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END
"""

logger = logging.getLogger(__name__)


@dataclass
class Reading:
    """Where the reads of one request (or one `reading_from_replica` block) go: its replica,
    until anything is written; then the primary, which alone holds what was written."""

    replica: str | None
    wrote: bool = False

    def notice_writes(self, execute, sql, params, many, context):
        """An execute wrapper on the primary's connection: ORM and raw SQL writes alike."""
        if isinstance(sql, str) and sql.lstrip()[:8].upper().startswith(WRITES):
            self.wrote = True
        return execute(sql, params, many, context)


_reading: contextvars.ContextVar[Reading | None] = contextvars.ContextVar(
    "tandem_reading", default=None
)
# Per process: until when a replica is left alone (unreachable or too far behind), and when its
# lag is next measured.
_resting_until: dict[str, float] = {}
_lag_due: dict[str, float] = {}


def replica_for_reads() -> str | None:
    """A replica that answers and is not too far behind, picked at random; None: the primary."""
    now = time.monotonic()
    candidates = [
        alias for alias in settings.DATABASE_REPLICAS if _resting_until.get(alias, 0) <= now
    ]
    random.shuffle(candidates)
    for alias in candidates:
        if _usable(alias, now):
            return alias
    return None


def _usable(alias: str, now: float) -> bool:
    """Connect now (the connection the request's reads then use), so that an unreachable
    replica costs a fallback to the primary and not the request."""
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        if now >= _lag_due.get(alias, 0):
            _lag_due[alias] = now + settings.REPLICA_CHECK_SECONDS
            with connection.cursor() as cursor:
                cursor.execute(LAG_QUERY)
                (lag,) = cursor.fetchone()
            if lag > settings.REPLICA_MAX_LAG_SECONDS:
                logger.warning("Replica %s is %.0f s behind; reading from others", alias, lag)
                _resting_until[alias] = now + settings.REPLICA_CHECK_SECONDS
                return False
    except DatabaseError as error:
        logger.warning("Replica %s cannot be read (%s); reading from others", alias, error)
        _resting_until[alias] = now + settings.REPLICA_CHECK_SECONDS
        _lag_due.pop(alias, None)  # measured again as soon as it answers
        connection.close()
        return False
    return True


def reads_database() -> str:
    """Where a read goes now. The ORM asks the router; raw SQL that only reads runs on
    `connections[reads_database()]` to go the same way."""
    reading = _reading.get()
    if (
        reading is None
        or reading.replica is None
        or reading.wrote
        or connections[PRIMARY].in_atomic_block
    ):
        return PRIMARY
    return reading.replica


class ReplicaRouter:
    """Reads to the replica the request or block chose, while nothing has been written and no
    transaction is open on the primary; writes and migrations to the primary."""

    def db_for_read(self, model, **hints) -> str:
        return PRIMARY if model._meta.label in ALWAYS_PRIMARY else reads_database()

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # every database holds the same rows

    def allow_migrate(self, db, app_label, **hints) -> bool:
        return db == PRIMARY


@contextlib.contextmanager
def reading(replica: str | None) -> Iterator[Reading]:
    state = Reading(replica)
    token = _reading.set(state)
    try:
        with connections[PRIMARY].execute_wrapper(state.notice_writes):
            yield state
    finally:
        _reading.reset(token)


@contextlib.contextmanager
def reading_from_replica() -> Iterator[str | None]:
    """For a command or job whose reads may be a moment behind (an export, a report): they go to
    a replica while the block runs and writes nothing; yields the replica, None for the primary
    (no replica configured or none usable)."""
    with reading(replica_for_reads()) as state:
        yield state.replica


class ReplicaReadsMiddleware:
    """Chooses where a request reads, and remembers in a signed cookie that someone wrote, so
    that their next requests read from the primary for REPLICA_PIN_SECONDS: they see their own
    writes whichever server answers them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        may_lag = request.method in SAFE_METHODS and not self.wrote_lately(request)
        with reading(replica_for_reads() if may_lag else None) as state:
            response = self.get_response(request)
        if request.method not in SAFE_METHODS or state.wrote:
            response.set_signed_cookie(
                WROTE_COOKIE,
                "1",
                salt=WROTE_COOKIE,
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    @staticmethod
    def wrote_lately(request: HttpRequest) -> bool:
        # the signature's own time bounds the window, whatever the client does with max-age
        wrote = request.get_signed_cookie(
            WROTE_COOKIE, default=None, salt=WROTE_COOKIE, max_age=settings.REPLICA_PIN_SECONDS
        )
        return wrote is not None
