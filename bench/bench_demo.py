"""Time `tandem demo` on a throw-away database and print deals per second.

    .venv/bin/python bench/bench_demo.py --scale 25
    .venv/bin/python bench/bench_demo.py --scale 25 --database-url postgres://postgres@127.0.0.1:5432/postgres

Without --database-url the demo goes into a SQLite file in a temporary folder. With a PostgreSQL
URL the script creates a database of its own on that server (the URL's database is only used to
connect), builds the demo into it and drops it again. Migrations are timed separately.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="a PostgreSQL server to create a database on")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="tandem-bench-demo-")
    os.environ["TANDEM_DATA_DIR"] = workdir
    os.environ["DJANGO_SETTINGS_MODULE"] = "tandem.settings"
    os.environ.pop("DATABASE_URL", None)
    server_url = bench_db = None
    if args.database_url:
        import psycopg

        parts = urlsplit(args.database_url)
        bench_db = f"tandem_bench_demo_{os.getpid()}"
        server_url = args.database_url
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{bench_db}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{bench_db}"))
    try:
        run(args)
    finally:
        if bench_db:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(server_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from tqdm import tqdm

    from tandem.demo.generator import DEALS_PER_UNIT, build_demo

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - started

    started = time.perf_counter()
    with tqdm(total=args.scale * DEALS_PER_UNIT, unit="deals", file=sys.stderr) as bar:
        summary = build_demo(scale=args.scale, seed=args.seed, on_deals=bar.update)
    seconds = time.perf_counter() - started
    counts = summary.counts
    rows = sum(counts.values())
    database = connection.vendor
    if database == "sqlite":
        size = Path(connection.settings_dict["NAME"]).stat().st_size
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    print(f"database        {database}")
    print(f"scale           {args.scale} (seed {args.seed})")
    print(f"migrate         {migrate_seconds:.1f} s")
    print(f"generation      {seconds:.1f} s")
    print(f"deals           {counts['deals']:,}")
    print(f"deals/second    {counts['deals'] / seconds:,.0f}")
    print(f"all rows        {rows:,} ({rows / seconds:,.0f} rows/second)")
    for name, value in counts.items():
        print(f"  {name:<14}{value:,}")
    print(f"database size   {size / 1e6:,.0f} MB")


if __name__ == "__main__":
    main()
