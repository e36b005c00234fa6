"""Time the sales KPI queries and the Sales Manager cockpit on the demo data.

    .venv/bin/python bench/bench_kpis.py --scale 1
    .venv/bin/python bench/bench_kpis.py --scale 25 --database-url postgres://postgres@127.0.0.1:5432/postgres

Builds `tandem demo --scale N` into a throw-away database (a SQLite file in a temporary folder,
or a database of its own on the PostgreSQL server named by the URL, dropped afterwards), then
times each KPI query and the cockpit page (rendered through Django's test client, as the Head of
Sales and as a Sales Manager) for the last complete quarter: the best and the median of
--repeat runs, and the number of SQL queries of the page.
"""

import argparse
import time

from throwaway import benchmark_database, first_visit, page_of, queries_of, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", help="a PostgreSQL server to create a database on")
    parser.add_argument(
        "--existing",
        help="time an existing database holding the demo instead (a URL; nothing is built, "
        "the rollups are rebuilt and timed)",
    )
    parser.add_argument(
        "--keep-rollups",
        action="store_true",
        help="with --existing: do not rebuild the rollups first (they take minutes at 10 M deals)",
    )
    args = parser.parse_args()

    with benchmark_database("kpis", args.database_url, args.existing):
        run(args)


def run(args) -> None:
    # Django is set up for the benchmark's database first: import it only now
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from tandem.core.periods import Period
    from tandem.demo.generator import build_demo
    from tandem.kpis.bottlenecks import stage_dwell, stalled_deals
    from tandem.kpis.models import DealMonth, VisitDay, VisitMonth
    from tandem.kpis.rollup import rebuild
    from tandem.kpis.sales import KpiScope, by_channel, funnel, labelled, sales_kpis
    from tandem.pipeline.models import Deal
    from tandem.users.models import User

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if not args.existing:
        build_demo(scale=args.scale, seed=args.seed)
    built = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planner statistics, as autovacuum keeps them in use
    deals = Deal.objects.count()
    started = time.perf_counter()
    if not args.keep_rollups:
        rebuild()  # build_demo already did; timed here on its own
    rolled = time.perf_counter() - started
    period = Period.containing(timezone.localdate()).previous
    head = User.objects.get(username="head")
    manager = User.objects.get(username="manager")
    print(f"database   {connection.vendor}")
    print(f"scale      {args.scale}: {deals:,} deals (built in {built:.1f} s)")
    rows = DealMonth.objects.count() + VisitMonth.objects.count() + VisitDay.objects.count()
    done = "kept as built" if args.keep_rollups else f"rebuilt in {rolled:.1f} s"
    print(f"rollups    {done} ({rows:,} month/day rows)")
    print(f"period     {period.code}; best / median of {args.repeat} runs")

    cases = []
    for who, user in [("head", head), ("manager", manager)]:

        def scope(u=user):  # a new scope per call: a scope remembers what it read
            return KpiScope(u, period)

        cases += [
            (f"{who}: company KPIs", lambda s=scope: sales_kpis(s())),
            (f"{who}: KPIs per team", lambda s=scope: labelled(s(), "team")),
            (f"{who}: KPIs per rep", lambda s=scope: labelled(s(), "rep")),
            (f"{who}: funnel", lambda s=scope: funnel(s())),
            (f"{who}: channels (+ previous)", lambda s=scope: by_channel(s())),
            (f"{who}: time in stage", lambda s=scope: stage_dwell(s())),
            (f"{who}: stalled deals", lambda s=scope: stalled_deals(s())),
        ]
    for who, user in [("head", head), ("manager", manager)]:
        url = f"/sales/?period={period.code}"
        client, page = page_of(user, url)
        page()  # the process's first view of the page (templates, caches); learns nothing
        cold, deferred = first_visit(client, url)
        print(
            f"first view {who}: the page {cold * 1000:.0f} ms, then its forecast panel "
            f"{deferred * 1000:.0f} ms (learning the day's forecast: once a day unless "
            "`tandem nightly` ran)"
        )
        cases.append((f"{who}: cockpit page ({queries_of(page)} queries)", page))
    for name, function in cases:
        best, median = timed(function, args.repeat)
        print(f"  {name:<40} {best * 1000:8.1f} ms {median * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
