"""Time the forecast (one as-of date, the 12-month backtest, the forecast page) on demo data.

    .venv/bin/python bench/bench_forecast.py --scale 1
    .venv/bin/python bench/bench_forecast.py --scale 25 --database-url postgres://postgres@127.0.0.1:5432/postgres

Builds `tandem demo --scale N` into a throw-away database (a SQLite file in a temporary folder,
or a database of its own on the PostgreSQL server named by the URL, dropped afterwards), then
times `tandem forecast precompute` (the day's forecasts of the company and every team, kept in
ForecastSnapshot), the grouped facts of one as-of date, one forecast with its interval, the
backtest of the last 12 months, learning the company's page summary from scratch, and the
/forecast/ page reading the kept forecasts (as the Head of Sales and as a Sales Manager): the
best and the median of --repeat runs, and the number of SQL queries of the page.
"""

import argparse
import time

from throwaway import benchmark_database, page_of, queries_of, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", help="a PostgreSQL server to create a database on")
    parser.add_argument(
        "--existing", help="time an existing database holding the demo instead (a URL)"
    )
    parser.add_argument(
        "--no-precompute",
        action="store_true",
        help="skip `tandem forecast precompute` (every team: long at 10 M deals); the pages "
        "then learn what they show on their first view, which is timed",
    )
    args = parser.parse_args()

    with benchmark_database("forecast", args.database_url, args.existing):
        run(args)


def run(args) -> None:
    # Django is set up for the benchmark's database first: import it only now
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from tandem.demo.generator import build_demo
    from tandem.forecast.engine import Forecaster, backtest, facts_as_of, period_containing
    from tandem.forecast.selectors import compute_summary
    from tandem.forecast.services import learn_every_scope, learn_for
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
            cursor.execute("ANALYZE")
    deals = Deal.objects.count()
    today = timezone.localdate()
    current = period_containing(today)
    last = Forecaster.last_complete(current, today)
    print(f"database   {connection.vendor}")
    print(f"scale      {args.scale}: {deals:,} deals (built in {built:.1f} s)")
    print(f"as of      {today}; best / median of {args.repeat} runs")

    everything = Deal.objects.all()
    if not args.no_precompute:
        started = time.perf_counter()
        kept = learn_every_scope("month")
        print(
            f"precompute {kept} month forecasts (company and every team) in "
            f"{time.perf_counter() - started:.1f} s"
        )
    cases = [
        ("facts of one as-of date", lambda: facts_as_of(everything, today)),
        ("forecast with interval", lambda: Forecaster(everything).forecast(current, today)),
        ("backtest, 12 months", lambda: backtest(everything, last.shift(-11), last)),
        ("learn company (page, cold)", lambda: compute_summary(everything, "month", today, True)),
    ]
    for who in ("head", "manager"):
        # a page never learns: the job that learns what the user sees (the manager's own
        # people are no team, so not kept by precompute), then the page reads it
        user = User.objects.get(username=who)
        started = time.perf_counter()
        learn_for(user, "month", today, None)
        print(
            f"learn {who}'s forecast (the job) in {(time.perf_counter() - started) * 1000:.0f} ms"
            " (about 0: kept by precompute)"
        )
        client, page = page_of(user, "/forecast/", b'id="backtest-table"')
        cases.append((f"{who}: forecast page, kept ({queries_of(page)} queries)", page))
    for name, function in cases:
        best, median = timed(function, args.repeat)
        print(f"  {name:<40} {best * 1000:8.1f} ms {median * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
