"""What every benchmark shares: a throw-away database, and timing a call several times.

The database is a SQLite file in a temporary folder, or a database of its own created on the
PostgreSQL server named by --database-url (that URL's database is only used to connect) and
dropped afterwards. Django is configured for it before the benchmark imports any model.
"""

import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@contextlib.contextmanager
def throwaway_database(name: str, database_url: str | None):
    """Point Django at a fresh database called tandem_bench_<name>_<pid> for the block."""
    workdir = tempfile.mkdtemp(prefix=f"tandem-bench-{name}-")
    os.environ["TANDEM_DATA_DIR"] = workdir
    os.environ["DJANGO_SETTINGS_MODULE"] = "tandem.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    bench_db = f"tandem_bench_{name}_{os.getpid()}"
    if database_url:
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{bench_db}"')
        os.environ["DATABASE_URL"] = urlunsplit(
            urlsplit(database_url)._replace(path=f"/{bench_db}")
        )
    try:
        import django

        django.setup()
        yield
    finally:
        from django.db import connections

        connections.close_all()
        if database_url:
            import psycopg

            with psycopg.connect(database_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)


def timed(function, repeat: int) -> tuple[float, float]:
    """The best and the median wall time of `repeat` calls, in seconds."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
    return min(runs), statistics.median(runs)
