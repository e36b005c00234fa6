"""Time every main page, as each role sees it, on the demo organisation.

    .venv/bin/python bench/bench_pages.py --scale 1
    .venv/bin/python bench/bench_pages.py --scale 1 --database-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/bench_pages.py --existing postgres://postgres@127.0.0.1:5432/tandem_big

Builds `tandem demo --scale N` (with the apps on top of it: plans, renewals, pay, hiring …) into
a throw-away database (see throwaway.py), or times an existing one (--existing URL), then
renders each page through Django's test client and prints the best and the median of --repeat
runs and the number of SQL queries of each page. The pages' own benchmarks go deeper
(bench_kpis.py, bench_forecast.py, bench_kam.py); this one is the tour of the whole app.
"""

import argparse
import time

from throwaway import benchmark_database, time_pages

PAGES = [
    ("rep", "/", "overview"),
    ("rep", "/deals/", "deal list"),
    ("rep", "/deals/board/", "pipeline board"),
    ("rep", "/sales/", "sales cockpit"),
    ("rep", "/pay/", "own pay"),
    ("rep", "/coaching/", "own coaching"),
    ("manager", "/accounts/", "account list"),
    ("manager", "/sales/", "sales cockpit, team"),
    ("manager", "/forecast/", "forecast"),
    ("manager", "/pay/", "team's pay"),
    ("manager", "/coaching/", "coaching, team"),
    ("manager", "/hiring/", "hiring"),
    ("kam", "/kam/", "KAM cockpit"),
    ("kam", "/key-accounts/", "candidates and handovers"),
    ("kam", "/key-accounts/plans/", "account plans"),
    ("kam", "/key-accounts/renewals/", "upcoming renewals"),
    ("kam", "/key-accounts/renewals/rates/", "renewal rates"),
    ("kam", "/key-accounts/whitespace/", "whitespace"),
    ("kam", "/insights/", "insights"),
    ("head", "/sales/", "sales cockpit, company"),
    ("head", "/forecast/", "forecast, company"),
    ("head", "/kam/", "KAM cockpit, every KAM"),
    ("head", "/key-accounts/conflicts/", "ownership conflicts"),
    ("head", "/pay/", "everyone's pay"),
    ("admin", "/pay/bands/", "salary bands"),
    ("admin", "/imports/", "imports"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", help="a PostgreSQL server to create a database on")
    parser.add_argument("--existing", metavar="DATABASE_URL", help="a demo built before")
    args = parser.parse_args()
    with benchmark_database("pages", args.database_url, args.existing):
        run(args)


def run(args) -> None:
    # Django is set up for the benchmark's database first: import it only now
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    from tandem.pipeline.models import Deal

    if not args.existing:
        started = time.perf_counter()
        call_command("demo", "--scale", str(args.scale), stdout=StringIO(), stderr=StringIO())
        print(f"built the demo at scale {args.scale} in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"database {connection.vendor}, {Deal.objects.count():,} deals")
    time_pages(PAGES, args.repeat)


if __name__ == "__main__":
    main()
