"""Time `tandem demo` on a throw-away database and print deals per second.

    .venv/bin/python bench/bench_demo.py --scale 25
    .venv/bin/python bench/bench_demo.py --scale 25 --database-url postgres://postgres@127.0.0.1:5432/postgres

Without --database-url the demo goes into a SQLite file in a temporary folder. With a PostgreSQL
URL the script creates a database of its own on that server (the URL's database is only used to
connect), builds the demo into it and drops it again. Migrations are timed separately.
"""

import argparse
import sys
import time
from pathlib import Path

from throwaway import throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="a PostgreSQL server to create a database on")
    args = parser.parse_args()

    with throwaway_database("demo", args.database_url):
        run(args)


def run(args) -> None:
    # Django is set up for the benchmark's database first: import it only now
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
