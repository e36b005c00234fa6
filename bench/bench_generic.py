"""Benchmark of the generic CSV import (`tandem import deals FILE --map …`) on a throw-away
database (created here, dropped at the end).

    .venv/bin/python bench/bench_generic.py                      # SQLite in a temp folder
    .venv/bin/python bench/bench_generic.py --database-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/bench_generic.py --rows 1000          # the first 1,000 deals only

The Maven CRM import runs first (it brings the accounts, products and aliases the deals refer
to); then the Maven pipeline file is imported again as new deals through the generic import
with a column mapping, a first import and a re-import (which must change nothing). Prints rows
per second for each.
"""

import argparse
import csv
import tempfile
import time
from pathlib import Path

from throwaway import throwaway_database

from testsupport.datasets import MAVEN

MAPPING = {
    "external_ref": "opportunity_id",
    "name": "opportunity_id",
    "account": "account",
    "product": "product",
    "value": "close_value",
    "stage": "deal_stage",
    "engaged_on": "engage_date",
    "closed_on": "close_date",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--rows", type=int, help="import only the first ROWS deals")
    args = parser.parse_args()

    with throwaway_database("generic", args.database_url):
        run(args.rows)


def pipeline_file(folder: Path, rows: int | None) -> tuple[Path, int]:
    """The Maven pipeline file, cut to its first `rows` deals."""
    with open(MAVEN / "sales_pipeline.csv", encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    body = lines[1 : 1 + rows] if rows else lines[1:]
    path = folder / "deals.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([lines[0], *body])
    return path, len(body)


def run(rows: int | None) -> None:
    # Django is set up for the benchmark's database first: import it only now
    from django.core.management import call_command
    from django.db import connection

    from tandem.imports.generic import import_table
    from tandem.imports.maven import import_maven
    from tandem.users.models import Role, User

    call_command("migrate", verbosity=0)
    admin = User.objects.create_user("bench-admin", role=Role.ADMIN)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    import_maven(MAVEN, acting_user=admin)

    with tempfile.TemporaryDirectory(prefix="tandem-bench-generic-") as folder:
        path, count = pipeline_file(Path(folder), rows)
        for attempt in ("first import", "re-import"):
            started = time.perf_counter()
            result = import_table("deals", path, acting_user=admin, mapping=MAPPING)
            seconds = time.perf_counter() - started
            deals = result.report.records.get("deals", {})
            print(
                f"generic deals, {attempt}: {count:,} rows in {seconds:.2f} s = "
                f"{count / seconds:,.0f} rows/s ({result.status}, {deals})"
            )
            if not result.ok:
                print("\n".join(result.report.lines()[:20]))


if __name__ == "__main__":
    main()
