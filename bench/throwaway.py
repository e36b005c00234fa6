"""What every benchmark shares: a throw-away database, and timing a call several times.

The database is a SQLite file in a temporary folder, or a database of its own created on the
PostgreSQL server named by --database-url (that URL's database is only used to connect) and
dropped afterwards. Django is configured for it before the benchmark imports any model.
"""

import contextlib
import html
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import django
import psycopg

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
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{bench_db}"')
        os.environ["DATABASE_URL"] = urlunsplit(
            urlsplit(database_url)._replace(path=f"/{bench_db}")
        )
    try:
        django.setup()
        yield
    finally:
        # Django is set up for the benchmark's database first: import it only now
        from django.db import connections

        connections.close_all()
        if database_url:
            with psycopg.connect(database_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def benchmark_database(name: str, database_url: str | None, existing: str | None = None):
    """The database a benchmark measures: `existing` (a URL of a demo built before; kept as it
    is) or a throw-away one (see throwaway_database)."""
    if existing:
        os.environ["DATABASE_URL"] = existing
        os.environ["DJANGO_SETTINGS_MODULE"] = "tandem.settings"
        # Django is set up for the benchmark's database first: import it only now
        import django

        django.setup()
        yield
        return
    with throwaway_database(name, database_url):
        yield


def timed(function, repeat: int) -> tuple[float, float]:
    """The best and the median wall time of `repeat` calls, in seconds."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
    return min(runs), statistics.median(runs)


def first_visit(client, url: str) -> tuple[float, float]:
    """Open the page as a browser would the first time: the page, then what it fetches as
    soon as it has loaded (hx-trigger="load": the parts that had to be computed first, such as
    the day's forecast). Returns the seconds of each; later views find that work kept."""

    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    page = time.perf_counter() - started
    started = time.perf_counter()
    deferred = re.findall(r'hx-get="([^"]+)"[^>]*hx-trigger="load"', response.content.decode())
    for part in deferred:
        answer = client.get(html.unescape(part), headers={"HX-Request": "true"})
        assert answer.status_code == 200, (part, answer.status_code)
    return page, (time.perf_counter() - started if deferred else 0.0)


def page_of(user, url: str, must_contain: bytes | None = None):
    """A client logged in as `user` and a function that fetches `url` with it, failing unless
    the answer is 200 (and holds `must_contain`)."""
    # Django is set up for the benchmark's database first: import it only now
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(user)

    def page():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert must_contain is None or must_contain in response.content, (url, must_contain)

    return client, page


def queries_of(function) -> int:
    """How many SQL queries one call of `function` runs."""
    # Django is set up for the benchmark's database first: import it only now
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def time_pages(cases, repeat: int) -> None:
    """Render each (username, url, label) through Django's test client as that user and print
    the best and the median of `repeat` runs after a first visit (see `first_visit`, whose
    deferred part is printed when there is one) and the page's number of SQL queries."""
    # Django is set up for the benchmark's database first: import it only now
    from tandem.users.models import User

    print(f"best / median of {repeat} runs")
    for username, url, label in cases:
        client, page = page_of(User.objects.get(username=username), url)
        _first, deferred = first_visit(client, url)
        count = queries_of(page)
        best, median = timed(page, repeat)
        name = f"{username}: {label} ({count} q)"
        print(f"  {name:<58} {best * 1000:8.1f} ms {median * 1000:8.1f} ms")
        if deferred:
            print(f"  {'  fetched after it, the first time':<58} {deferred * 1000:8.1f} ms")
