"""Test data builders: plain functions, no fixture files, and the personas every test can use.

They write with the ORM, past the services' rules and audit rows, but say what they touched as
the services do (tandem.core.touched): the KPI rollups and KAM figures follow them."""

import datetime
import itertools
from decimal import Decimal
from importlib import import_module

from django.apps import apps

from tandem.accounts.models import Account, BuyingRole, Contact, Contract, HierarchyLevel
from tandem.activities.models import Activity, ActivityKind
from tandem.catalog.models import Product
from tandem.core.touched import touched
from tandem.pipeline.models import Deal, Stage
from tandem.revenue.models import RevenueLine
from tandem.users.models import Region, Role, Team, User

_serial = itertools.count(1)

PASSWORD = "tandem-test-pw-1"


def make_user(username: str, role: str = Role.SALES_REP, team: Team | None = None, **extra) -> User:
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        team=team,
        first_name=extra.pop("first_name", username.capitalize()),
        last_name=extra.pop("last_name", "Test"),
        **extra,
    )


def make_team(name: str, manager: User, region_name: str = "North") -> Team:
    region, _ = Region.objects.get_or_create(name=region_name)
    return Team.objects.create(name=name, region=region, manager=manager)


def make_account(owner: User, name: str | None = None, **fields) -> Account:
    account = Account.objects.create(owner=owner, name=name or f"Account {next(_serial)}", **fields)
    touched("accounts", accounts=[account.pk])
    return account


def make_contact(account: Account, **fields) -> Contact:
    n = next(_serial)
    fields.setdefault("first_name", f"First{n}")
    fields.setdefault("last_name", f"Last{n}")
    fields.setdefault("hierarchy_level", HierarchyLevel.MANAGER)
    fields.setdefault("buying_role", BuyingRole.INFLUENCER)
    contact = Contact.objects.create(account=account, **fields)
    touched("contacts", accounts=[account.pk])
    return contact


def make_product(code: str | None = None, **fields) -> Product:
    code = code or f"P{next(_serial)}"
    fields.setdefault("name", code)
    return Product.objects.create(code=code, **fields)


def make_deal(
    owner: User, account: Account | None = None, stage_code: str = "prospecting", **fields
) -> Deal:
    fields.setdefault("name", f"Deal {next(_serial)}")
    fields.setdefault("value", Decimal("1000"))
    deal = Deal.objects.create(
        owner=owner, account=account, stage=Stage.objects.get(code=stage_code), **fields
    )
    touched("deals", owners=[deal.owner_id], accounts=[deal.account_id])
    return deal


def make_activity(account: Account, owner: User, contacts=(), **fields) -> Activity:
    """An activity with the contacts it names (named here, before saying what it touched: a
    contact added to it later through the ORM is told to nobody)."""
    fields.setdefault("kind", ActivityKind.CALL)
    fields.setdefault("subject", f"Call {next(_serial)}")
    fields.setdefault("occurred_at", datetime.datetime(2026, 1, 5, 10, tzinfo=datetime.UTC))
    activity = Activity.objects.create(account=account, owner=owner, **fields)
    activity.contacts.set(contacts)
    deal = activity.deal
    touched(
        "activities",
        owners=[owner.pk, deal.owner_id if deal else None],
        accounts=[account.pk, deal.account_id if deal else None],
    )
    return activity


def make_contract(account: Account, **fields) -> Contract:
    fields.setdefault("name", f"Contract {next(_serial)}")
    fields.setdefault("start_on", datetime.date(2026, 1, 1))
    fields.setdefault("end_on", datetime.date(2026, 12, 31))
    fields.setdefault("annual_value", Decimal("50000"))
    contract = Contract.objects.create(account=account, **fields)
    touched("contracts", accounts=[account.pk])
    return contract


def make_revenue_line(account: Account, product: Product, **fields) -> RevenueLine:
    fields.setdefault("invoiced_on", datetime.date(2026, 2, 1))
    fields.setdefault("amount", Decimal("100"))
    line = RevenueLine.objects.create(account=account, product=product, **fields)
    touched("revenue", accounts=[account.pk])
    return line


class Org:
    """The personas every test can use: two teams, a KAM, the Head of Sales and an admin.

    alice (rep, team North, manager mona), bob (rep, team South, manager sam),
    kim (KAM), hanna (Head of Sales), otto (sales operations / admin).
    """

    def __init__(self):
        self.mona = make_user("mona", Role.SALES_MANAGER)
        self.sam = make_user("sam", Role.SALES_MANAGER)
        self.north = make_team("North", self.mona, "North")
        self.south = make_team("South", self.sam, "South")
        self.mona.team = self.north
        self.mona.save()
        self.sam.team = self.south
        self.sam.save()
        self.alice = make_user("alice", Role.SALES_REP, self.north)
        self.bob = make_user("bob", Role.SALES_REP, self.south)
        self.kim = make_user("kim", Role.KEY_ACCOUNT_MANAGER)
        self.hanna = make_user("hanna", Role.HEAD_OF_SALES)
        self.otto = make_user("otto", Role.ADMIN)

    @property
    def everyone(self) -> list[User]:
        return [self.alice, self.bob, self.mona, self.sam, self.kim, self.hanna, self.otto]


def seed_reference_data() -> None:
    """Stages, channels and sectors as the migrations seed them (idempotent)."""
    for module in [
        "tandem.pipeline.migrations.0003_default_stages_and_channels",
        "tandem.accounts.migrations.0003_default_sectors",
    ]:
        migration = import_module(module)
        seed = getattr(migration, "add_reference_data", None) or migration.add_sectors
        seed(apps, None)
