"""The Maven CRM sample, imported completely: every count checked against the CSVs."""

import csv
from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Sum

from tandem.accounts.models import Account
from tandem.audit.selectors import history_of
from tandem.catalog.models import Product, ProductAlias
from tandem.imports.maven import import_maven
from tandem.imports.models import ImportRun, ImportStatus
from tandem.pipeline.models import Deal, StageChange
from tandem.users.models import Region, Role, Team, User
from testsupport.datasets import MAVEN

pytestmark = pytest.mark.django_db


def read(name):
    with open(MAVEN / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def snapshot():
    """Every row an import may touch, with its values."""
    return {
        "accounts": sorted(
            Account.objects.values_list(
                "external_ref",
                "name",
                "parent__name",
                "sector__code",
                "employees",
                "annual_revenue",
                "owner__username",
                "country",
            )
        ),
        "deals": sorted(
            Deal.objects.values_list(
                "external_ref",
                "account__name",
                "owner__username",
                "product__code",
                "value",
                "stage__code",
                "engaged_on",
                "closed_on",
                "created_on",
            ),
            key=str,
        ),
        "changes": sorted(
            StageChange.objects.values_list(
                "deal__external_ref", "from_stage__code", "to_stage__code", "changed_at"
            ),
            key=str,
        ),
        "users": sorted(
            User.objects.values_list("username", "role", "team__name", "external_ref"), key=str
        ),
        "teams": sorted(Team.objects.values_list("name", "region__name", "manager__username")),
        "products": sorted(Product.objects.values_list("code", "name", "series", "list_price")),
        "aliases": sorted(ProductAlias.objects.values_list("alias", "product__name")),
    }


@pytest.fixture(scope="module")
def imported(module_db, module_org):
    """The sample imported once for the module's tests (each runs in a savepoint of it)."""
    with module_db():
        result = import_maven(MAVEN, acting_user=module_org.otto)
    assert result.status == ImportStatus.SUCCEEDED, result.report.lines()
    return result


def test_nothing_is_dropped(imported, org):
    accounts = read("accounts.csv")
    products = read("products.csv")
    teams = read("sales_teams.csv")
    pipeline = read("sales_pipeline.csv")

    assert Account.objects.filter(external_ref__startswith="maven:").count() == len(accounts)
    with_parent = {a["account"]: a["subsidiary_of"] for a in accounts if a["subsidiary_of"]}
    got_parents = dict(
        Account.objects.filter(parent__isnull=False).values_list("name", "parent__name")
    )
    assert got_parents == with_parent
    assert Product.objects.count() == len(products)
    agents = {t["sales_agent"] for t in teams}
    managers = {t["manager"] for t in teams}
    assert User.objects.filter(
        role=Role.SALES_REP, external_ref__startswith="maven:"
    ).count() == len(agents)
    assert User.objects.filter(
        role=Role.SALES_MANAGER, external_ref__startswith="maven:"
    ).count() == len(managers)
    assert Team.objects.filter(manager__external_ref__startswith="maven:").count() == len(managers)
    regions = {t["regional_office"] for t in teams}
    assert (
        set(
            Region.objects.filter(teams__manager__external_ref__startswith="maven:").values_list(
                "name", flat=True
            )
        )
        == regions
    )

    deals = Deal.objects.filter(external_ref__startswith="maven:")
    assert deals.count() == len(pipeline)
    per_stage = Counter(p["deal_stage"].lower() for p in pipeline)
    won_value = sum(Decimal(p["close_value"]) for p in pipeline if p["deal_stage"] == "Won")
    assert deals.filter(stage__code="won").aggregate(s=Sum("value"))["s"] == won_value
    without = sum(1 for p in pipeline if not p["account"])
    assert deals.filter(account__isnull=True).count() == without
    assert imported.report.stats["deals_without_account"] == without
    assert Counter(deals.values_list("stage__code", flat=True)) == per_stage
    # rows without an account are open deals, and the report says how many
    texts = [n["text"] for n in imported.report.notes]
    assert any("have no account yet" in t for t in texts)
    # imported users cannot log in until an admin sets a password
    assert not User.objects.get(external_ref__startswith="maven:agent:Anna").has_usable_password()


def test_quirks_are_resolved_and_reported(imported):
    alias = ProductAlias.objects.get(alias="GTXPro")
    assert alias.product.name == "GTX Pro"
    pipeline = read("sales_pipeline.csv")
    assert Deal.objects.filter(product__name="GTX Pro").count() == sum(
        1 for p in pipeline if p["product"] == "GTXPro"
    )
    texts = [n["text"] for n in imported.report.notes]
    assert any("an alias was created" in t for t in texts)
    assert any("was read as" in t for t in texts)
    technolgy = sum(1 for a in read("accounts.csv") if a["sector"] == "technolgy")
    assert Account.objects.filter(sector__code="technology").count() == technolgy
    acme = Account.objects.get(name="Acme Corporation")
    assert acme.annual_revenue == Decimal("1100.04") * 1_000_000


def test_values_dates_and_history_follow_the_file(imported):
    pipeline = {p["opportunity_id"]: p for p in read("sales_pipeline.csv")}
    prices = {p["product"]: Decimal(p["sales_price"]) for p in read("products.csv")}
    prices["GTXPro"] = prices["GTX Pro"]
    for deal in Deal.objects.filter(external_ref__startswith="maven:").select_related("stage"):
        row = pipeline[deal.external_ref.removeprefix("maven:")]
        if row["deal_stage"] in {"Won", "Lost"}:
            assert deal.value == Decimal(row["close_value"])
            assert str(deal.closed_on) == row["close_date"]
        else:
            assert deal.value == prices[row["product"]]
            assert deal.closed_on is None
        assert str(deal.engaged_on or "") == row["engage_date"]
        assert deal.created_on == deal.engaged_on
    closed = sum(1 for p in pipeline.values() if p["deal_stage"] in {"Won", "Lost"})
    engaged = sum(1 for p in pipeline.values() if p["engage_date"])
    prospecting = sum(1 for p in pipeline.values() if p["deal_stage"] == "Prospecting")
    assert StageChange.objects.count() == engaged + closed + prospecting
    assert StageChange.objects.filter(
        from_stage__code="engaging", to_stage__code="won"
    ).count() == sum(1 for p in pipeline.values() if p["deal_stage"] == "Won")


def test_account_owner_is_the_agent_with_most_won_value(imported):
    pipeline = read("sales_pipeline.csv")
    won = Counter()
    for p in pipeline:
        if p["deal_stage"] == "Won" and p["account"] == "Acme Corporation":
            won[p["sales_agent"]] += Decimal(p["close_value"])
    best = sorted(won.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    acme = Account.objects.get(name="Acme Corporation")
    assert acme.owner.external_ref == f"maven:agent:{best}"
    assert Account.objects.filter(owner__isnull=True).count() == 0


def test_reimport_changes_nothing(imported, org):
    before = snapshot()
    again = import_maven(MAVEN, acting_user=org.otto)
    assert again.status == ImportStatus.UNCHANGED
    assert snapshot() == before
    assert ImportRun.objects.filter(kind="maven").count() == 2
    texts = [n["text"] for n in again.report.notes]
    assert "Already imported, nothing changed." in texts
    assert any("through its alias" in t for t in texts)


def test_imported_records_start_their_audit_trail(imported, org):
    deal = Deal.objects.filter(external_ref__startswith="maven:").first()
    assert [e.action for e in history_of(deal)] == ["deal.imported"]
    account = Account.objects.get(name="Acme Corporation")
    (event,) = history_of(account)
    assert event.action == "account.imported" and event.actor == org.otto
    assert event.changes["owner"] == account.owner_id
