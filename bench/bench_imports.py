"""Benchmark of the imports on a fresh throw-away database (created here, dropped at the end).

    .venv/bin/python bench/bench_imports.py                      # SQLite in a temp folder
    .venv/bin/python bench/bench_imports.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Prints lines per second for the Online Retail import (541,909 invoice lines) and seconds for
the Maven CRM import end to end, each first run and re-run (nothing changes). For PostgreSQL
the URL names the server; a database `tandem_bench_imports_<pid>` is created there and dropped.
"""

import argparse
import gzip
import time
from pathlib import Path

from throwaway import throwaway_database

from testsupport.datasets import MAVEN, RETAIL


def count_lines(path: Path) -> int:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL server URL (default: SQLite)")
    args = parser.parse_args()

    with throwaway_database("imports", args.database_url):
        run()


def run() -> None:
    # Django is set up for the benchmark's database first: import it only now
    from django.core.management import call_command
    from django.db import connection

    from tandem.imports.maven import import_maven
    from tandem.imports.retail import import_revenue
    from tandem.users.models import Role, User

    call_command("migrate", verbosity=0)
    admin = User.objects.create_user("bench-admin", role=Role.ADMIN)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")

    lines = count_lines(RETAIL)
    for attempt in ("first import", "re-import"):
        started = time.perf_counter()
        result = import_revenue(RETAIL, acting_user=admin)
        seconds = time.perf_counter() - started
        print(
            f"online retail, {attempt}: {lines:,} lines in {seconds:.2f} s = "
            f"{lines / seconds:,.0f} lines/s ({result.status}, "
            f"{result.report.stats['revenue_lines']:,} revenue lines)"
        )

    for attempt in ("first import", "re-import"):
        started = time.perf_counter()
        result = import_maven(MAVEN, acting_user=admin)
        seconds = time.perf_counter() - started
        deals = result.report.records["deals"]
        print(
            f"maven crm, {attempt}: {seconds:.2f} s end to end ({result.status}, "
            f"{sum(deals.values()):,} deals)"
        )


if __name__ == "__main__":
    main()
