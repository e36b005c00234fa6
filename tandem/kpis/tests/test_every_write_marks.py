"""Every way Tandem writes the records behind the derived numbers says what it touched
(tandem.core.touched), and nothing else keeps them fresh: no model signal is connected.

For each write, through its service, bulk write or admin class: it changes what the KPI
rollups or the KAM figures show, and after it (and the refresh jobs it asked for, which run as
its transaction commits) both equal what a rebuild from scratch computes. A writer that forgot
to say what it touched leaves its rows stale, and the comparison fails."""

import copy
import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import transaction
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.utils import timezone

from tandem.accounts.bulk import AccountWrite, ContactWrite, upsert_accounts, upsert_contacts
from tandem.accounts.models import Account, Contact, Contract, ContractStatus, Tier
from tandem.accounts.services import (
    change_account_owner,
    change_account_tier,
    create_contact,
    delete_account,
    delete_contact,
    update_account,
    update_contact,
)
from tandem.activities.services import create_activity, delete_activity, update_activity
from tandem.core import touched
from tandem.core.errors import DomainError
from tandem.core.periods import Period, PeriodKind
from tandem.kam import figures
from tandem.kam.models import KamAccountFigures, KamPeriodFigures, KamStaleAccount
from tandem.kpis import rollup
from tandem.kpis.models import Stale
from tandem.pipeline.bulk import DealWrite, upsert_deals
from tandem.pipeline.models import Deal, Stage
from tandem.pipeline.services import (
    assign_deal_account,
    create_deal,
    delete_deal,
    move_deal_to_stage,
    update_deal,
)
from tandem.quotas.models import Quota
from tandem.quotas.services import delete_quota, import_quotas, set_quota
from tandem.renewals.services import record_outcome
from tandem.revenue.services import upsert_revenue_lines
from tandem.users.models import Role, Team, User
from tandem.users.services import delete_teams, move_to_team, upsert_imported_user
from testsupport.builders import (
    make_account,
    make_activity,
    make_contact,
    make_contract,
    make_deal,
    make_product,
    make_revenue_line,
    make_user,
)

pytestmark = pytest.mark.django_db


class World:
    """The personas, a key account with revenue, a decision maker, a contract due for renewal
    and a recent meeting with them; deals, quotas and a plain account with an activity; the
    rollups and the KAM figures computed whole."""

    def __init__(self, org):
        self.org = org
        today = timezone.localdate()
        self.today = today
        self.now = timezone.now()
        self.quarter = Period.containing(today, PeriodKind.QUARTER).code
        self.product = make_product("W1")
        self.key = make_account(org.kim, name="Key", tier=Tier.KEY_ACCOUNT)
        make_revenue_line(
            self.key, self.product, invoiced_on=today - datetime.timedelta(days=1), amount=900
        )
        self.boss = make_contact(self.key, hierarchy_level="c_level", buying_role="decision_maker")
        self.contract = make_contract(
            self.key,
            start_on=today - datetime.timedelta(days=300),
            end_on=today + datetime.timedelta(days=30),
            status=ContractStatus.ACTIVE,
        )
        self.meeting = make_activity(
            self.key, org.kim, [self.boss], kind="meeting",
            occurred_at=self.now - datetime.timedelta(days=5),
        )  # fmt: skip
        self.plain = make_account(org.alice, name="Plain")
        self.leaving = make_account(org.bob, name="Leaving")
        make_activity(self.leaving, org.bob, occurred_at=self.now - datetime.timedelta(days=5))
        self.open = make_deal(
            org.alice, self.key, "proposal", value=Decimal(1000),
            created_on=today - datetime.timedelta(days=20),
            expected_close_on=today + datetime.timedelta(days=20),
        )  # fmt: skip
        self.won = make_deal(
            org.alice, self.plain, "won", value=Decimal(2000),
            created_on=today - datetime.timedelta(days=60),
            closed_on=today - datetime.timedelta(days=5),
        )  # fmt: skip
        self.orphan = make_deal(
            org.bob, None, "won", value=Decimal(300),
            created_on=today - datetime.timedelta(days=30),
            closed_on=today - datetime.timedelta(days=3),
        )  # fmt: skip
        self.team_quota = set_quota(
            acting_user=org.hanna, team=org.north, metric="won_value", period=self.quarter,
            target=5000,
        )  # fmt: skip
        self.bob_quota = set_quota(
            acting_user=org.hanna, user=org.bob, metric="won_value", period=self.quarter,
            target=700,
        )  # fmt: skip
        self.carl = make_user("carl", Role.SALES_REP, org.north)  # no deals: may go
        set_quota(
            acting_user=org.hanna, user=self.carl, metric="won_value", period=self.quarter,
            target=300,
        )  # fmt: skip
        User.objects.filter(pk=org.alice.pk).update(external_ref="hr:alice")
        rollup.rebuild()
        figures.refresh(full=True)


@pytest.fixture(scope="module")
def shared_world(module_org, module_db) -> World:
    """Built once for the module (its rows go back with each test's savepoint)."""
    with module_db():
        return World(module_org)


@pytest.fixture
def world(shared_world, org) -> World:
    """Each test its own copy of the objects, which the writes change."""
    copied = copy.deepcopy(shared_world)
    copied.org = org
    return copied


def rollup_rows() -> dict:
    """Every rollup table as a sorted list of its rows (ids left out)."""
    tables = {}
    for model in rollup.ROLLUPS:
        fields = [f.attname for f in model._meta.fields if f.attname != "id"]
        rows = model.objects.values_list(*fields)
        tables[model.__name__] = sorted(
            (tuple(round(v, 6) if isinstance(v, float) else v for v in row) for row in rows),
            key=repr,
        )
    return tables


def kam_rows() -> tuple[dict, dict]:
    accounts = {
        (row.period, row.account_id): model_to_dict(row, exclude=["id", "computed_at"])
        for row in KamAccountFigures.objects.all()
    }
    periods = {
        state.period: (state.day, state.churn, state.company_revenue)
        for state in KamPeriodFigures.objects.all()
    }
    return accounts, periods


def shown() -> tuple:
    return rollup_rows(), kam_rows()


def admin_of(model):
    return admin.site._registry[model]


def _request(user):
    request = RequestFactory().post("/admin/")
    request.user = user
    return request


def stage(code: str) -> Stage:
    return Stage.objects.get(code=code)


def _admin_save(model, obj, **changes):
    for name, value in changes.items():
        setattr(obj, name, value)
    admin_of(model).save_model(_request(User.objects.get(username="otto")), obj, None, True)


def _admin_delete(model, obj):
    admin_of(model).delete_model(_request(User.objects.get(username="otto")), obj)


def _admin_delete_all(model, queryset):
    admin_of(model).delete_queryset(_request(User.objects.get(username="otto")), queryset)


def _deal(w):
    return Deal.objects.select_related("stage").get(pk=w.open.pk)


WRITES = {
    # deals
    "create_deal": lambda w: create_deal(
        acting_user=w.org.alice, name="New", value=Decimal(50), account=w.key, created_on=w.today
    ),
    "update_deal value": lambda w: update_deal(_deal(w), acting_user=w.org.mona, value=9),
    "update_deal owner": lambda w: update_deal(_deal(w), acting_user=w.org.mona, owner=w.org.bob),
    "update_deal account": lambda w: update_deal(  # the first win moves with it
        w.won, acting_user=w.org.mona, account=w.leaving
    ),
    "move_deal_to_stage": lambda w: move_deal_to_stage(
        _deal(w), stage("lost"), acting_user=w.org.alice, lost_reason="Price"
    ),
    "assign_deal_account": lambda w: assign_deal_account(w.orphan, w.key, acting_user=w.org.hanna),
    "delete_deal": lambda w: delete_deal(_deal(w), acting_user=w.org.hanna),
    "upsert_deals": lambda w: upsert_deals(
        [DealWrite({"value": Decimal(5), "owner": w.org.bob}, deal=_deal(w))],
        acting_user=w.org.mona,
    ),
    # activities and their contacts
    "create_activity": lambda w: create_activity(
        acting_user=w.org.kim,
        account=w.key,
        contacts=[w.boss],
        kind="meeting",
        subject="Plan",
        occurred_at=w.now,
    ),
    "update_activity": lambda w: update_activity(
        w.meeting, acting_user=w.org.kim, occurred_at=w.now - datetime.timedelta(days=400)
    ),
    "update_activity contacts": lambda w: update_activity(
        w.meeting, acting_user=w.org.kim, contacts=[]
    ),
    "delete_activity": lambda w: delete_activity(w.meeting, acting_user=w.org.kim),
    # accounts, contacts, contracts, revenue
    "update_account": lambda w: update_account(w.key, acting_user=w.org.kim, name="Renamed"),
    "change_account_owner": lambda w: change_account_owner(
        w.key, w.org.alice, acting_user=w.org.otto
    ),
    "change_account_tier": lambda w: change_account_tier(
        w.key, Tier.STANDARD, acting_user=w.org.otto
    ),
    "delete_account": lambda w: delete_account(w.leaving, acting_user=w.org.otto),
    "create_contact": lambda w: create_contact(
        acting_user=w.org.kim,
        account=w.key,
        first_name="Eve",
        last_name="New",
        hierarchy_level="director",
        buying_role="influencer",
    ),
    "update_contact": lambda w: update_contact(w.boss, acting_user=w.org.kim, is_active=False),
    "delete_contact": lambda w: delete_contact(w.boss, acting_user=w.org.kim),
    "upsert_accounts": lambda w: upsert_accounts(
        [AccountWrite({"name": "Bulk name"}, account=w.key)], acting_user=None
    ),
    "upsert_contacts": lambda w: upsert_contacts(
        [
            ContactWrite(
                {
                    "account": w.key,
                    "first_name": "Ann",
                    "last_name": "Lee",
                    "hierarchy_level": "manager",
                    "buying_role": "user",
                }
            )
        ],
        acting_user=None,
    ),
    "upsert_revenue_lines": lambda w: upsert_revenue_lines(
        [(w.key.pk, w.product.pk, w.today, Decimal(1), Decimal(250))]
    ),
    "record_outcome": lambda w: record_outcome(
        w.contract, ContractStatus.CHURNED, acting_user=w.org.kim, note="Gone"
    ),
    # quotas and teams
    "set_quota new": lambda w: set_quota(
        acting_user=w.org.hanna,
        team=w.org.south,
        metric="won_value",
        period=w.quarter,
        target=10,
    ),
    "set_quota change": lambda w: set_quota(
        acting_user=w.org.hanna,
        user=w.org.bob,
        metric="won_value",
        period=w.quarter,
        target=800,
    ),
    "import_quotas": lambda w: import_quotas(
        f"person,metric,period,target\nalice,won_value,{w.quarter},30\n", acting_user=w.org.hanna
    ),
    "delete_quota": lambda w: delete_quota(w.team_quota, acting_user=w.org.hanna),
    "move_to_team": lambda w: move_to_team(w.org.alice, w.org.south),
    "upsert_imported_user": lambda w: upsert_imported_user(
        "hr:alice", "Alice Test", role=Role.SALES_REP, team=w.org.south
    ),
    "delete_teams": lambda w: delete_teams(Team.objects.filter(pk=w.org.north.pk)),
    # the Django admin
    "admin: person's team": lambda w: _admin_save(User, w.org.alice, team=w.org.south),
    "admin: delete a person": lambda w: _admin_delete(User, w.carl),  # and the quota
    "admin: delete a team": lambda w: _admin_delete(Team, w.org.north),
    "admin: delete teams": lambda w: _admin_delete_all(Team, Team.objects.filter(name="North")),
    "admin: quota": lambda w: _admin_save(Quota, w.team_quota, target=Decimal(1)),
    "admin: delete a quota": lambda w: _admin_delete(Quota, w.bob_quota),
    "admin: delete quotas": lambda w: _admin_delete_all(Quota, Quota.objects.all()),
    "admin: account": lambda w: _admin_save(Account, w.key, name="Admin name"),
    "admin: delete an account": lambda w: _admin_delete(Account, w.leaving),
    "admin: delete accounts": lambda w: _admin_delete_all(
        Account, Account.objects.filter(pk=w.leaving.pk)
    ),
    "admin: contact": lambda w: _admin_save(Contact, w.boss, is_active=False),
    "admin: delete a contact": lambda w: _admin_delete(Contact, w.boss),
    "admin: delete contacts": lambda w: _admin_delete_all(Contact, Contact.objects.all()),
    "admin: contract": lambda w: _admin_save(Contract, w.contract, status=ContractStatus.CHURNED),
    "admin: delete a contract": lambda w: _admin_delete(Contract, w.contract),
}


@pytest.mark.parametrize("name", list(WRITES))
def test_each_write_leaves_the_derived_numbers_as_a_rebuild_computes_them(world, name):
    before = shown()
    with transaction.atomic():  # the refresh jobs it asked for run as this commits
        WRITES[name](world)
    after = shown()
    assert after != before, "the write changes what the KPIs or the KAM figures show"
    rollup.rebuild()
    figures.refresh(full=True)
    rebuilt = shown()
    assert after[0] == rebuilt[0], "the KPI rollups"
    assert after[1] == rebuilt[1], "the KAM figures"


def test_the_marks_roll_back_with_the_write(world):
    with pytest.raises(DomainError), transaction.atomic():
        update_deal(_deal(world), acting_user=world.org.mona, value=Decimal(3))
        upsert_revenue_lines([(world.key.pk, world.product.pk, world.today, 1, Decimal(1))])
        assert Stale.objects.exists() and KamStaleAccount.objects.exists()
        raise DomainError("changed my mind")
    assert not Stale.objects.exists() and not KamStaleAccount.objects.exists()


def test_each_keeper_hears_the_records_it_follows(world):
    assert touched.keepers()["kpis.rollups"] == {"deals", "activities", "quotas", "teams"}
    assert touched.keepers()["kam.figures"] == {
        "deals", "activities", "accounts", "contacts", "contracts", "revenue"
    }  # fmt: skip
    with transaction.atomic():
        upsert_revenue_lines([(world.key.pk, world.product.pk, world.today, 1, Decimal(1))])
        assert KamStaleAccount.objects.exists() and not Stale.objects.exists()
        set_quota(
            acting_user=world.org.hanna, user=world.org.bob, metric="won_value",
            period=world.quarter, target=1,
        )  # fmt: skip
        assert Stale.objects.filter(team_id=world.org.south.pk).exists()
        assert KamStaleAccount.objects.count() == 1
