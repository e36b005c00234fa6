"""The deal pages on the real Maven CRM sample: imported deals without an account can be found
and resolved, and the board's counts agree with the CSV (counted here with the csv module)."""

import csv
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from tandem.accounts.models import Account
from tandem.pipeline.models import Deal
from testsupport.builders import PASSWORD
from testsupport.datasets import MAVEN

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not MAVEN.is_dir(), reason="the Maven CRM sample is not on this machine"),
]


@pytest.fixture(scope="module")
def maven(module_db, module_org):
    """The sample imported once for the module (by otto, the admin persona)."""
    with module_db():
        call_command(
            "import", "maven", str(MAVEN), "--user", "otto", "--no-progress", stdout=io.StringIO()
        )
    with open(MAVEN / "sales_pipeline.csv", newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_without_account_lists_every_imported_deal_whose_account_is_unknown(client, org, maven):
    expected = sum(1 for row in maven if not row["account"].strip())
    assert client.login(username="otto", password=PASSWORD)
    response = client.get(reverse("pipeline:deal_list"), {"without_account": "on"})
    assert response.context["totals"]["count"] == expected
    assert expected > 0


def test_board_counts_the_open_stages_as_the_csv_does(client, org, maven):
    open_rows = Counter(row["deal_stage"].lower() for row in maven if not row["close_date"])
    assert client.login(username="otto", password=PASSWORD)
    response = client.get(reverse("pipeline:board"))
    counts = {c["stage"].code: c["count"] for c in response.context["columns"]}
    for stage, expected in open_rows.items():
        assert counts[stage] == expected


def test_an_imported_deal_is_resolved_by_assigning_its_account(client, org, maven):
    deal = Deal.objects.filter(account__isnull=True).order_by("pk").first()
    account = Account.objects.order_by("name").first()
    assert client.login(username="otto", password=PASSWORD)
    client.post(reverse("pipeline:deal_assign_account", args=[deal.pk]), {"account": account.pk})
    deal.refresh_from_db()
    assert deal.account == account
    remaining = client.get(reverse("pipeline:deal_list"), {"without_account": "on"})
    expected = sum(1 for row in maven if not row["account"].strip()) - 1
    assert remaining.context["totals"]["count"] == expected
