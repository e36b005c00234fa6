"""Time the KAM cockpit, the concentration page and the key-account candidates list.

    .venv/bin/python bench/bench_kam.py --scale 1
    .venv/bin/python bench/bench_kam.py --scale 1 --database-url postgres://postgres@127.0.0.1:5432/postgres
    nice .venv/bin/python bench/bench_kam.py --scale 250 --revenue-lines 5000000 \
        --database-url postgres://postgres@127.0.0.1:5432/postgres

Builds `tandem demo --scale N` into a throw-away database (see throwaway.py), or times an
existing one (--existing URL: a demo built before; the 1 M-deal build takes 10+ minutes). With
--revenue-lines, revenue lines are added until the table holds that many: copies of the demo's
lines a few days earlier (INSERT … SELECT, skipping days an account already has for a product),
so the data grows without changing its shape. Then renders each page through Django's test
client as the demo's KAM ("kam"), Sales Manager ("manager") and Head of Sales ("head") for the
default period (the current year) and prints, per page: "cold", the first request after a new
evaluation of the key-account rules (made first by the job's own function, not timed there: no
request evaluates them), then the best and the median of --repeat warm runs and the number of
SQL queries of a warm run. The evaluation itself is timed once, as the job does it. The KAM
figures are the job's (kam.refresh_figures): the bench first times the nightly's full fill of
every kept period, and a refresh after one key account changed.
"""

import argparse
import time

from throwaway import benchmark_database, page_of, queries_of, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--revenue-lines", type=int, default=0, help="grow the revenue lines to")
    parser.add_argument("--database-url", help="a PostgreSQL server to create a database on")
    parser.add_argument(
        "--existing",
        metavar="DATABASE_URL",
        help="time pages on this database as it is (a demo built before with `tandem demo "
        "--scale N`; not dropped), instead of building a throw-away one",
    )
    args = parser.parse_args()

    with benchmark_database("kam", args.database_url, args.existing):
        run(args)


def add_revenue_lines(target: int) -> int:
    """Copy revenue lines 7, 14, 21 … days earlier until the table has `target` rows."""
    # Django is set up for the benchmark's database first: import it only now
    from django.db import connection, transaction

    from tandem.revenue.models import RevenueLine

    table = RevenueLine._meta.db_table
    shift = 0
    while (count := RevenueLine.objects.count()) < target:
        shift += 7
        if connection.vendor == "postgresql":
            day = f"invoiced_on - {shift}"
        else:
            day = f"date(invoiced_on, '-{shift} days')"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (account_id, product_id, invoiced_on, quantity, amount) "
                f"SELECT account_id, product_id, {day}, quantity, amount FROM {table} "
                f"ORDER BY id LIMIT %s ON CONFLICT DO NOTHING",
                [target - count],
            )
        if shift > 700:
            break
    return RevenueLine.objects.count()


def run(args) -> None:
    # Django is set up for the benchmark's database first: import it only now
    from django.conf import settings
    from django.core import signals
    from django.core.management import call_command
    from django.db import close_old_connections, connection, reset_queries

    from tandem.accounts.models import Account, Tier
    from tandem.demo.generator import build_demo
    from tandem.pipeline.models import Deal
    from tandem.revenue.models import RevenueLine
    from tandem.users.models import Role, User

    settings.ALLOWED_HOSTS = ["*"]
    # one connection for the whole run (as with persistent connections), so that the queries
    # of a page can be counted
    signals.request_started.disconnect(reset_queries)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    import tandem.urls  # noqa: F401  (fail now, not after building, if a URLconf is broken)

    built = 0.0
    if not args.existing:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        build_demo(scale=args.scale, seed=args.seed)
        built = time.perf_counter() - started
    lines_before = RevenueLine.objects.count()
    added = ""
    if args.revenue_lines and lines_before < args.revenue_lines:
        started = time.perf_counter()
        total = add_revenue_lines(args.revenue_lines)
        added = f" ({total - lines_before:,} added in {time.perf_counter() - started:.1f} s)"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planner statistics, as autovacuum keeps them in use
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    kams = User.objects.filter(role=Role.KEY_ACCOUNT_MANAGER).count()
    key_accounts = Account.objects.filter(tier=Tier.KEY_ACCOUNT).count()
    kam = User.objects.get(username="kam")
    print(f"database   {connection.vendor}")
    print(f"deals      {Deal.objects.count():,} (built in {built:.1f} s)")
    print(f"revenue    {RevenueLine.objects.count():,} lines{added}")
    accounts = Account.objects.count()
    print(f"portfolio  {kams:,} KAMs, {key_accounts:,} key accounts, {accounts:,} accounts")
    fill_kam_figures(kam)
    started = time.perf_counter()
    new_evaluation()
    print(f"key-account rules evaluated (the job) in {time.perf_counter() - started:.1f} s")
    print(f"cold (first request after a new evaluation) / best / median of {args.repeat} warm runs")

    cases = [
        ("kam", "/kam/", "KAM cockpit, own portfolio"),
        ("kam", "/kam/concentration/", "concentration, own portfolio"),
        ("kam", "/api/kpis/kam", "API, own portfolio"),
        ("manager", "/kam/", "KAM cockpit, one KAM"),
        ("head", f"/kam/?kam={kam.pk}", "KAM cockpit, one chosen KAM"),
        ("head", "/kam/", "KAM cockpit, every KAM"),
        ("head", "/kam/concentration/", "concentration, every KAM"),
        ("kam", "/key-accounts/", "candidates list"),
        ("manager", "/key-accounts/", "candidates list"),
        ("head", "/key-accounts/", "candidates list"),
        ("head", "/key-accounts/?page=3", "candidates list, page 3"),
        ("head", "/api/kpis/kam", "API, every KAM"),
    ]
    for username, url, label in cases:
        _client, page = page_of(User.objects.get(username=username), url)
        new_evaluation()
        started = time.perf_counter()
        page()
        cold = time.perf_counter() - started
        count = queries_of(page)
        best, median = timed(page, args.repeat)
        name = f"{username}: {label} ({count} q)"
        print(
            f"  {name:<52} cold {cold * 1000:8.1f} ms  warm {best * 1000:8.1f} ms "
            f"{median * 1000:8.1f} ms"
        )


def fill_kam_figures(kam) -> None:
    """Time the job's work: every kept period whole (the nightly), then the refresh after a
    change of one key account (its revenue)."""
    # Django is set up for the benchmark's database first: import it only now
    from tandem.accounts.models import Account, Tier
    from tandem.kam import figures

    started = time.perf_counter()
    done = figures.refresh(full=True)
    full = time.perf_counter() - started
    account = Account.objects.filter(tier=Tier.KEY_ACCOUNT, owner=kam).first()
    figures.mark_stale([account.pk])
    started = time.perf_counter()
    figures.refresh()
    one = time.perf_counter() - started
    print(f"KAM figures: {len(done['periods'])} periods whole in {full:.1f} s; ", end="")
    print(f"after one account changed {one * 1000:.0f} ms")


def new_evaluation() -> None:
    """What the day's work does first: the rules evaluated anew (the next request is the
    first to read it)."""
    # Django is set up for the benchmark's database first: import it only now
    from tandem.keyaccounts.services import evaluate_and_store

    evaluate_and_store()


if __name__ == "__main__":
    main()
