"""Time the export of a whole list, as the Head of Sales sees it, in rows per second.

    .venv/bin/python bench/bench_exports.py --scale 25
    .venv/bin/python bench/bench_exports.py --scale 25 --database-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/bench_exports.py --existing sqlite:////…/demo.sqlite3 --formats csv

Builds `tandem demo --scale N` into a throw-away database (see throwaway.py), or uses an
existing one (--existing URL), then writes each list of --entities in each of --formats into a
file, through the export the web page, the job and `tandem export` all use
(`tandem.core.exports.write_export`), and prints the best and median rows per second of
--repeat runs, and the fewest seconds of this process's CPU a run took (on a machine shared
with other work the wall time swings with the load; the CPU time much less; on PostgreSQL it
leaves out the server's share).
"""

import argparse
import statistics
import tempfile
import time

from throwaway import benchmark_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--entities", default="deals", help="comma-separated, e.g. deals,accounts")
    parser.add_argument("--formats", default="csv,json,xlsx")
    parser.add_argument("--database-url", help="a PostgreSQL server to create a database on")
    parser.add_argument("--existing", metavar="DATABASE_URL", help="a demo built before")
    args = parser.parse_args()
    with benchmark_database("exports", args.database_url, args.existing):
        run(args)


def run(args) -> None:
    # Django is set up for the benchmark's database first: import it only now
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    from tandem.core.exports import EXPORT_ENTITIES, write_export
    from tandem.imports.exports import visible_queryset
    from tandem.users.models import User

    if not args.existing:
        started = time.perf_counter()
        call_command("demo", "--scale", str(args.scale), stdout=StringIO(), stderr=StringIO())
        print(f"built the demo at scale {args.scale} in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    head = User.objects.get(username="head")
    print(f"database {connection.vendor}, best / median of {args.repeat} runs")
    for entity in args.entities.split(","):
        rows = visible_queryset(entity, head)
        count = rows.count()
        columns = EXPORT_ENTITIES[entity].headers
        cases = []
        for fmt in args.formats.split(","):

            def export(fmt=fmt, rows=rows, entity=entity):
                with tempfile.TemporaryFile() as stream:
                    write_export(entity, rows, fmt, stream)

            cases.append((fmt, export))
        print(f"{entity}: {count:,} rows, {len(columns)} columns")
        for label, function in cases:
            walls, cpus = [], []
            for _ in range(args.repeat):
                wall, cpu = time.perf_counter(), time.process_time()
                function()
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            best, median = min(walls), statistics.median(walls)
            print(
                f"  {label:<6} {count / best:>10,.0f} rows/s {count / median:>10,.0f} rows/s"
                f"  ({best:.2f} s / {median:.2f} s; CPU {min(cpus):.2f} s)"
            )


if __name__ == "__main__":
    main()
