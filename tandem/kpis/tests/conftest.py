"""The Maven CRM sample imported once per test module, and the CSV files it came from."""

import csv
import datetime
from decimal import Decimal

import pytest

from tandem.imports.maven import import_maven
from tandem.imports.models import ImportStatus
from tandem.users.models import Role
from testsupport.builders import make_user
from testsupport.datasets import MAVEN
from testsupport.jobs import run_queued


def read_csv(name: str) -> list[dict]:
    with open(MAVEN / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def day(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def squeeze(name: str) -> str:
    return "".join(name.lower().split()).replace("-", "")


class MavenCsv:
    """The pipeline as plain rows, valued the way the import documents it: closed deals at
    their close value, open deals at their product's list price."""

    def __init__(self):
        prices = {
            squeeze(r["product"]): Decimal(r["sales_price"]) for r in read_csv("products.csv")
        }
        self.teams = {r["sales_agent"]: r for r in read_csv("sales_teams.csv")}
        self.deals = []
        for row in read_csv("sales_pipeline.csv"):
            closed = row["deal_stage"] in {"Won", "Lost"}
            self.deals.append(
                {
                    **row,
                    "engaged": day(row["engage_date"]),
                    "closed": day(row["close_date"]),
                    "value": Decimal(row["close_value"] or "0")
                    if closed
                    else prices[squeeze(row["product"])],
                    "manager": self.teams[row["sales_agent"]]["manager"],
                    "region": self.teams[row["sales_agent"]]["regional_office"],
                }
            )


@pytest.fixture(scope="module")
def maven(module_db):
    """Import the sample once per module, and build its rollups as the worker does after an
    import; yields the head of sales who imported it. The module's shared transaction takes it
    away again."""
    with module_db():
        head = make_user("kpi-head", Role.HEAD_OF_SALES)
        result = import_maven(MAVEN, acting_user=head)
        assert result.status == ImportStatus.SUCCEEDED, result.report.lines()
        run_queued()
    return head


@pytest.fixture(scope="module")
def maven_csv() -> MavenCsv:
    return MavenCsv()
