"""The demo organisation: a realistic, deterministic sales organisation for any size.

`build_demo(scale=N, seed=S, today=D)` writes the same rows for the same seed, scale and date.
The organisation is built in *units*: one unit is a complete sales organisation of 4–5 teams,
3–4 Key Account Managers and their customers with about 4,000 deals; `--scale N` builds N units
(plus one Head of Sales and one admin), each from its own random stream, so memory stays bounded
and the deal count grows linearly.

Rows are written in bulk through the row writers of the domains that own them (`PeopleRows`,
`AccountRows`, `DealRows`, … on tandem.core.bulk's COPY/executemany), not through the per-row
services: at millions of deals those with their audit rows would take hours. A generated deal
is checked against the pipeline's rules by `DealRows` (history from no stage to the deal's
stage, the close date its last move gives); the rest of what the services guarantee for a
single row (one owner, valid dates) is guaranteed here by construction and checked by the tests
with independent queries. The demo writes no audit rows: its history is made up, not done.

Every row the demo creates is recognisable, so `--reset` removes exactly the demo: users and
accounts carry an `external_ref` starting with `demo:`; everything else hangs off them.
"""

import bisect
import datetime
import gc
import hashlib
import itertools
import math
import random
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils import timezone

from tandem.accounts.bulk import AccountRows
from tandem.accounts.models import (
    Account,
    BuyingRole,
    Contact,
    Contract,
    ContractStatus,
    HierarchyLevel,
    RenewalTerms,
    Sector,
    Tier,
)
from tandem.activities.bulk import ActivityRows
from tandem.activities.models import Activity, ActivityKind
from tandem.audit.models import AuditEvent
from tandem.catalog.bulk import ProductRows
from tandem.catalog.models import Product
from tandem.core.bulk import (
    BackgroundWriter,
    IdAllocator,
    check_foreign_keys,
    reset_sequences,
    skip_foreign_key_triggers,
)
from tandem.core.periods import PeriodKind
from tandem.core.touched import touched_everything
from tandem.demo import data
from tandem.demo.extensions import delete_extensions
from tandem.demo.marks import MARK, demo_accounts, demo_users
from tandem.kam import figures as kam_figures
from tandem.kpis.rollup import rebuild
from tandem.pipeline.bulk import DealRows
from tandem.pipeline.models import Channel, Deal, DealType, Stage, StageChange, StageOutcome
from tandem.quotas.bulk import QuotaRows
from tandem.quotas.models import Quota, QuotaMetric
from tandem.revenue.models import RevenueLine
from tandem.revenue.services import RevenueRows
from tandem.users.bulk import PeopleRows
from tandem.users.models import Region, Role, Team, User

DEMO_PASSWORD = "tandem-demo"
KEY_CONTRACT_CHURN = 0.1  # share of a key account's contracts not renewed
DEALS_PER_UNIT = 4_000
WINDOW_MONTHS = 33  # deals reach back two and three quarter years from today

ActivityContact = Activity.contacts.through

# Seasonality of new deals per calendar month: busy autumn and spring, summer and Christmas dip.
CREATION_SEASON = [1.0, 1.05, 1.1, 1.0, 0.95, 0.9, 0.65, 0.55, 1.15, 1.25, 1.1, 0.7]
# Base win rate of a closed deal by type.
WIN_RATE = {
    DealType.NEW_BUSINESS: 0.12,
    DealType.CROSS_SELL: 0.17,
    DealType.UP_SELL: 0.19,
    DealType.RENEWAL: 0.75,
}
# Median sales cycle in days by type.
CYCLE_DAYS = {
    DealType.NEW_BUSINESS: 80,
    DealType.CROSS_SELL: 50,
    DealType.UP_SELL: 40,
    DealType.RENEWAL: 45,
}
OPEN_STAGE_COUNT = 5
COUNTRY_CODE_WEIGHTS = [(row[0], row[6]) for row in data.COUNTRIES]
COUNTRY_BY_CODE = {row[0]: row for row in data.COUNTRIES}


# The five printed logins, one per role; every other demo user is firstname.lastname.
FIXED_LOGINS = [
    (Role.SALES_REP, "rep"),
    (Role.SALES_MANAGER, "manager"),
    (Role.KEY_ACCOUNT_MANAGER, "kam"),
    (Role.HEAD_OF_SALES, "head"),
    (Role.ADMIN, "admin"),
]


@dataclass
class DemoSummary:
    counts: dict[str, int]
    logins: list[tuple[str, str]]  # (role, username)
    password: str = DEMO_PASSWORD


# ---------------------------------------------------------------------------------------------
# What is there, and removing it


def demo_is_present() -> bool:
    return demo_users().exists() or demo_accounts().exists()


def other_data_counts() -> dict[str, int]:
    """Accounts and deals that are not the demo's (e.g. imported ones)."""
    demo_user_ids = demo_users().values("pk")
    accounts = Account.objects.exclude(external_ref__startswith=MARK).count()
    deals = Deal.objects.exclude(
        Q(owner_id__in=demo_user_ids) | Q(account__external_ref__startswith=MARK)
    ).count()
    return {"accounts": accounts, "deals": deals}


def username_clashes() -> list[str]:
    """The demo's fixed usernames taken by someone who is not a demo user."""
    fixed = [username for _role, username in FIXED_LOGINS]
    return sorted(
        User.objects.filter(username__in=fixed)
        .exclude(external_ref__startswith=MARK)
        .values_list("username", flat=True)
    )


def _delete_rows_pointing_at(model: type[Model], queryset, handled: set) -> None:
    """Other apps' rows that refer to demo rows (handovers, plans, tokens …) go first, through
    the ORM so their own cascades run; the demo's own tables are emptied with plain deletes."""
    for relation in model._meta.related_objects:
        related = relation.related_model
        if related in handled:
            continue
        if relation.many_to_many:
            through = relation.through
            if through in handled:
                continue
            column = relation.field.m2m_reverse_field_name()
            through.objects.filter(**{f"{column}__in": queryset.values("pk")}).delete()
            continue
        rows = related.objects.filter(**{f"{relation.field.name}__in": queryset.values("pk")})
        if relation.field.null and relation.on_delete.__name__ == "SET_NULL":
            rows.update(**{relation.field.name: None})
        else:
            rows.delete()


def _raw_delete(queryset) -> int:
    return queryset._raw_delete(queryset.db)


@transaction.atomic
def delete_demo() -> None:
    """Remove every row the demo created, and nothing else; deleted in bulk, past the
    services: every derived number is computed again."""
    _delete_demo()
    touched_everything()


def _delete_demo() -> None:
    delete_extensions()
    # Subqueries, not lists of ids: a large demo has more users than SQLite takes parameters.
    user_ids = demo_users().values("pk")
    account_ids = demo_accounts().values("pk")
    own = {
        ActivityContact,
        Activity,
        StageChange,
        Deal,
        RevenueLine,
        Contract,
        Contact,
        Quota,
        Account,
        Team,
        User,
        AuditEvent,
    }
    deals = Deal.objects.filter(Q(owner_id__in=user_ids) | Q(account_id__in=account_ids))
    activities = Activity.objects.filter(
        Q(owner_id__in=user_ids) | Q(account_id__in=account_ids) | Q(deal__in=deals)
    )
    contacts = Contact.objects.filter(account_id__in=account_ids)
    accounts = Account.objects.filter(pk__in=account_ids)
    teams = Team.objects.filter(manager_id__in=user_ids)

    _delete_rows_pointing_at(Activity, activities, own)
    _raw_delete(ActivityContact.objects.filter(activity__in=activities))
    _raw_delete(ActivityContact.objects.filter(contact__in=contacts))
    _raw_delete(activities)
    _delete_rows_pointing_at(Deal, deals, own)
    _raw_delete(StageChange.objects.filter(deal__in=deals))
    _raw_delete(deals)
    _raw_delete(RevenueLine.objects.filter(account_id__in=account_ids))
    _raw_delete(Contract.objects.filter(account_id__in=account_ids))
    _delete_rows_pointing_at(Contact, contacts, own)
    _raw_delete(contacts)
    _raw_delete(Quota.objects.filter(Q(user_id__in=user_ids) | Q(team__in=teams)))
    _delete_rows_pointing_at(Account, accounts, own)
    accounts.update(parent=None)
    _raw_delete(accounts)
    demo_users().update(team=None)
    teams.delete()
    _raw_delete(AuditEvent.objects.filter(actor_id__in=user_ids))
    demo_users().delete()
    Region.objects.filter(name__in=data.REGIONS, teams__isnull=True).delete()
    codes = [row[0] for row in data.PRODUCTS]
    Product.objects.filter(code__in=codes, deals__isnull=True, revenue_lines__isnull=True).delete()


# ---------------------------------------------------------------------------------------------
# Small helpers


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    last = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return datetime.date(year, month, min(day.day, last))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def at(day: datetime.date, minutes: int) -> datetime.datetime:
    """A moment on `day` during office hours (07:00–17:00 UTC, the same day in Europe)."""
    return datetime.datetime(
        day.year, day.month, day.day, 7 + minutes // 60, minutes % 60, tzinfo=datetime.UTC
    )


def ascii_name(text: str) -> str:
    text = text.lower()
    for a, b in [("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("å", "aa"), ("ø", "oe")]:
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text if ch.isalnum())


def money(value: float) -> Decimal:
    """Whole euros for deal values and contract values."""
    return Decimal(max(0, int(round(value))))


def cents(value: float) -> Decimal:
    return Decimal(int(round(value * 100))) / 100


def lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0.0, sigma))


_CUMULATIVE: dict[tuple, tuple[list, list[float], float]] = {}


def weighted(rng: random.Random, pairs):
    """One value of (value, weight) pairs; the same draw as `rng.choices(values, weights)`."""
    key = tuple(pairs)
    entry = _CUMULATIVE.get(key)
    if entry is None:
        values = [value for value, _weight in key]
        cumulative = list(itertools.accumulate(weight for _value, weight in key))
        entry = _CUMULATIVE[key] = (values, cumulative, cumulative[-1] + 0.0)
    values, cumulative, total = entry
    return values[bisect.bisect(cumulative, rng.random() * total, 0, len(cumulative) - 1)]


# ---------------------------------------------------------------------------------------------
# The organisation in memory (one unit at a time)


@dataclass(slots=True)
class Person:
    id: int
    username: str
    role: str
    team_id: int | None = None
    region: str = ""
    skill: float = 1.0


@dataclass(slots=True)
class Company:
    id: int
    name: str
    stem: str
    country: str
    language: str
    city: str
    region: str
    sector_id: int | None
    employees: int
    annual_revenue: int
    year_established: int
    domain: str
    parent_id: int | None = None
    owner: Person | None = None
    tier: str = Tier.STANDARD
    strategic: bool = False
    customer_since: datetime.date | None = None
    created: datetime.date | None = None
    invoice_day: int = 1
    products: set = field(default_factory=set)
    contacts: list = field(default_factory=list)  # (id, level, role)
    revenue: dict = field(default_factory=lambda: defaultdict(lambda: [0.0, 0.0]))
    no_decision_maker: bool = False


class DemoBuilder:
    def __init__(
        self,
        *,
        scale: int,
        seed: int,
        today: datetime.date,
        on_deals: Callable[[int], None] | None = None,
        sink: BackgroundWriter | None = None,
    ):
        self.sink = sink
        self.scale = scale
        self.seed = seed
        self.today = today
        self.on_deals = on_deals or (lambda n: None)
        self.window_start = add_months(today.replace(day=1), -WINDOW_MONTHS)
        self.usernames: set[str] = set(User.objects.values_list("username", flat=True))
        self.stages = {s.code: s for s in Stage.objects.all()}
        self.open_stages = [
            s.pk
            for s in sorted(self.stages.values(), key=lambda s: s.position)
            if s.outcome == "open"
        ]
        self.won_stage = next(s.pk for s in self.stages.values() if s.outcome == StageOutcome.WON)
        self.lost_stage = next(s.pk for s in self.stages.values() if s.outcome == StageOutcome.LOST)
        self.channels = dict(Channel.objects.values_list("code", "pk"))
        sectors = list(Sector.objects.order_by("code").values_list("code", "pk", "name"))
        self.sectors = [(pk, code, name) for code, pk, name in sectors]
        self.sector_weights = [data.SECTOR_WEIGHTS.get(code, 3) for _, code, _ in self.sectors]
        salt = hashlib.sha256(f"tandem-demo-{seed}".encode()).hexdigest()[:24]
        self.password_hash = make_password(DEMO_PASSWORD, salt=salt)
        self.renewal_slots: dict[int, int] = {}
        self.logins: list[tuple[str, str]] = []

        self.ids = IdAllocator(
            [
                User,
                Region,
                Team,
                Account,
                Contact,
                Contract,
                Product,
                Deal,
                StageChange,
                Activity,
                ActivityContact,
                RevenueLine,
                Quota,
            ]
        )

        # every table through the domain that owns it, in the order their keys need: users
        # before teams (team ids are set on users, and the foreign keys are checked at
        # commit), accounts before contacts and deals, and so on
        people = PeopleRows(sink)
        self.w_region, self.w_user, self.w_team = people.writers
        (self.w_product,) = ProductRows(sink).writers
        self.w_account, self.w_contact, self.w_contract = AccountRows(sink).writers
        self.deal_rows = DealRows(sink)
        activities = ActivityRows(sink)
        self.w_activity, self.w_activity_contact = activities.writers
        (self.w_revenue,) = RevenueRows(sink).writers
        (self.w_quota,) = QuotaRows(sink).writers
        self.writers = [
            *people.writers,
            self.w_product,
            self.w_account,
            self.w_contact,
            self.w_contract,
            *self.deal_rows.writers,
            *activities.writers,
            self.w_revenue,
            self.w_quota,
        ]
        days, cum = [], []
        total = 0.0
        day = self.window_start
        while day <= today:
            weight = CREATION_SEASON[day.month - 1] * (1.0 if day.weekday() < 5 else 0.04)
            total += weight
            days.append(day)
            cum.append(total)
            day += datetime.timedelta(days=1)
        self.creation_days, self.creation_cum = days, cum

    # -- global part ---------------------------------------------------------------------------

    def build(self) -> DemoSummary:
        rng = random.Random(f"{self.seed}:global")
        self.regions = {}
        existing = dict(Region.objects.filter(name__in=data.REGIONS).values_list("name", "pk"))
        for name in data.REGIONS:
            if name in existing:
                self.regions[name] = existing[name]
            else:
                self.regions[name] = self.ids.take(Region)
                self.w_region.add((self.regions[name], name))
        self.products = {}
        existing = dict(Product.objects.values_list("code", "pk"))
        for code, name, series, price, billing in data.PRODUCTS:
            pk = existing.get(code)
            if pk is None:
                pk = self.ids.take(Product)
                self.w_product.add((pk, code, name, series, Decimal(price), True))
            self.products[code] = (pk, name, series, price, billing)
        self.person(rng, Role.ADMIN, username="admin", staff=True)
        self.person(rng, Role.HEAD_OF_SALES, username="head")
        for unit in range(self.scale):
            self.build_unit(unit)
            gc.collect()  # the collector is paused while rows are made (see build_demo)
        for writer in self.writers:
            writer.flush()
        if self.sink is not None:
            self.sink.close()
        reset_sequences(
            [User, Region, Team, Account, Contact, Contract, Product, Deal, StageChange]
            + [Activity, ActivityContact, RevenueLine, Quota]
        )
        self.logins = FIXED_LOGINS
        counts = {writer.table: writer.written for writer in self.writers}
        return DemoSummary(
            counts={
                "users": counts[User._meta.db_table],
                "teams": counts[Team._meta.db_table],
                "accounts": counts[Account._meta.db_table],
                "contacts": counts[Contact._meta.db_table],
                "contracts": counts[Contract._meta.db_table],
                "deals": counts[Deal._meta.db_table],
                "stage_changes": counts[StageChange._meta.db_table],
                "activities": counts[Activity._meta.db_table],
                "revenue_lines": counts[RevenueLine._meta.db_table],
                "quotas": counts[Quota._meta.db_table],
            },
            logins=self.logins,
        )

    def person(
        self,
        rng: random.Random,
        role: str,
        *,
        username: str | None = None,
        team_id: int | None = None,
        staff: bool = False,
        region: str = "",
    ) -> Person:
        language = rng.choice(data.STAFF_LANGUAGES)
        first = rng.choice(data.FIRST_NAMES[language])
        last = rng.choice(data.LAST_NAMES[language])
        if username is None:
            base = f"{ascii_name(first)}.{ascii_name(last)}"
            username, n = base, 1
            while username in self.usernames:
                n += 1
                username = f"{base}{n}"
        self.usernames.add(username)
        pk = self.ids.take(User)
        joined = self.today - datetime.timedelta(days=rng.randint(400, 3000))
        self.w_user.add(
            (
                pk,
                self.password_hash,
                None,
                staff,
                username,
                first,
                last,
                f"{username}@tandem-demo.example",
                staff,
                True,
                at(joined, 120),
                role,
                team_id,
                f"{MARK}{username}",
            )
        )
        return Person(pk, username, role, team_id, region, skill=lognormal(rng, 1.0, 0.25))

    # -- one unit ------------------------------------------------------------------------------

    def build_unit(self, unit: int) -> None:
        rng = random.Random(f"{self.seed}:unit:{unit}")
        self.unit_names: set[str] = set()
        suffix = "" if unit == 0 else f" {unit + 1}"
        teams = data.TEAMS[: rng.choice([4, 5])]
        reps_by_region: dict[str, list[Person]] = defaultdict(list)
        self.team_members: dict[int, list[Person]] = {}
        for index, (region, city) in enumerate(teams):
            team_id = self.ids.take(Team)
            first = unit == 0 and index == 0
            manager = self.person(
                rng,
                Role.SALES_MANAGER,
                username="manager" if first else None,
                team_id=team_id,
                region=region,
            )
            self.w_team.add((team_id, f"{city}{suffix}", self.regions[region], manager.id))
            members = []
            for rep_index in range(rng.randint(4, 7)):
                rep = self.person(
                    rng,
                    Role.SALES_REP,
                    username="rep" if first and rep_index == 0 else None,
                    team_id=team_id,
                    region=region,
                )
                members.append(rep)
                reps_by_region[region].append(rep)
            self.team_members[team_id] = members
        kams = [
            self.person(
                rng, Role.KEY_ACCOUNT_MANAGER, username="kam" if unit == 0 and i == 0 else None
            )
            for i in range(rng.choice([3, 4]))
        ]

        companies = self.make_companies(rng, kams, reps_by_region)
        self.won_by_rep: dict[int, dict[datetime.date, float]] = defaultdict(
            lambda: defaultdict(float)
        )
        renewal_plan = []
        for company in companies:
            renewal_plan.extend(self.make_contracts(rng, company))

        target = rng.randint(DEALS_PER_UNIT - 300, DEALS_PER_UNIT + 300)
        pool = max(0, target - len(renewal_plan))
        weights = []
        for company in companies:
            size = (company.employees / 200) ** 0.3
            if company.tier == Tier.KEY_ACCOUNT:
                weights.append(8.0 * size)
            elif company.customer_since is not None:
                weights.append(2.5 * size)
            else:
                weights.append(1.0 * size)
        cum = []
        total = 0.0
        for weight in weights:
            total += weight
            cum.append(total)
        picks = rng.choices(range(len(companies)), cum_weights=cum, k=pool)
        deals_per_company = defaultdict(int)
        for index in picks:
            deals_per_company[index] += 1
        renewals_by_company = defaultdict(list)
        for company, item in renewal_plan:
            renewals_by_company[company.id].append(item)

        for index, company in enumerate(companies):
            count = deals_per_company.get(index, 0)
            created = sorted(
                rng.choices(self.creation_days, cum_weights=self.creation_cum, k=count)
            )
            if created and company.customer_since is None:
                # A prospect enters the CRM shortly before its first deal, if not earlier.
                first_contact = created[0] - datetime.timedelta(days=rng.randint(0, 60))
                company.created = min(company.created, first_contact)
            self.make_contacts(rng, company)
            written = 0
            for renewal in renewals_by_company.get(company.id, []):
                self.renewal_deal(rng, company, *renewal)
                written += 1
            for day in created:
                self.pool_deal(rng, company, day)
                written += 1
            if company.tier == Tier.KEY_ACCOUNT:
                self.key_account_rhythm(rng, company)
            self.write_company(rng, company)
            self.on_deals(written)
        self.make_quotas(rng)

    # -- accounts ------------------------------------------------------------------------------

    def company(self, rng: random.Random, *, country_code=None, stem=None, size=None) -> Company:
        if country_code is None:
            country_code = weighted(rng, COUNTRY_CODE_WEIGHTS)
        row = COUNTRY_BY_CODE[country_code]
        code, country, language, legal_forms, tld, _phone, _w = row
        city, region = rng.choice(data.CITIES[code])
        if not region:
            region = "International"
        sector_index = rng.choices(range(len(self.sectors)), self.sector_weights)[0]
        sector_id, sector_code, sector_name = self.sectors[sector_index]
        german, english = data.SECTOR_WORDS.get(sector_code, (sector_name, sector_name))
        word = german if language == "de" else english
        legal = rng.choice(legal_forms)
        if stem is None:
            if rng.random() < 0.55:
                stem = rng.choice(data.FAMILY_STEMS[language])
            else:
                stem = rng.choice(data.STEMS_DE if language == "de" else data.STEMS_INTERNATIONAL)
        if size is None:
            employees = int(min(350_000, max(5, lognormal(rng, 160, 1.55))))
        else:
            employees = max(5, int(size))
        revenue = employees * lognormal(rng, 210_000, 0.45)
        revenue = int(round(revenue, -3))
        if rng.random() < 0.12 and language == "de":
            name = f"{stem} & Söhne {legal}" if legal.endswith("KG") else f"{stem} {word} {legal}"
        else:
            name = f"{stem} {word} {legal}"
        if name in self.unit_names:
            # Two companies of one name would confuse: the second one is told apart by its city.
            name = f"{stem} {word} {city} {legal}"
            number = 1
            while name in self.unit_names:
                number += 1
                name = f"{stem} {word} {city} {number} {legal}"
        self.unit_names.add(name)
        domain = f"{ascii_name(stem)}-{ascii_name(word)}.{tld}"
        return Company(
            id=self.ids.take(Account),
            name=name,
            stem=stem,
            country=country,
            language="de" if language == "de" else "en",
            city=city,
            region=region,
            sector_id=sector_id,
            employees=employees,
            annual_revenue=revenue,
            # the long tail of the lognormal reaches past year 0 among millions of companies
            year_established=int(min(2023, max(1750, 2025 - lognormal(rng, 30, 0.8)))),
            domain=domain,
            invoice_day=rng.randint(1, 28),
        )

    def make_companies(self, rng, kams: list[Person], reps_by_region) -> list[Company]:
        capacity = {kam.id: rng.randint(8, 15) for kam in kams}
        n_standard = rng.randint(520, 620)
        pool = [self.company(rng) for _ in range(n_standard + sum(capacity.values()))]
        pool.sort(key=lambda c: (-c.annual_revenue, c.id))
        result: list[Company] = []

        def rep_for(company: Company) -> Person:
            return rng.choice(reps_by_region[company.region])

        def existing_customer(company: Company, probability: float) -> None:
            if rng.random() < probability:
                company.customer_since = self.window_start - datetime.timedelta(
                    days=rng.randint(30, 2500)
                )

        turn = 0
        for company in pool:
            open_kams = [k for k in kams if capacity[k.id] > 0]
            if open_kams and rng.random() < 0.85:
                kam = open_kams[turn % len(open_kams)]
                turn += 1
                capacity[kam.id] -= 1
                company.owner, company.tier = kam, Tier.KEY_ACCOUNT
                company.strategic = rng.random() < 0.3
                company.customer_since = self.window_start - datetime.timedelta(
                    days=rng.randint(400, 4000)
                )
                result.append(company)
                if rng.random() < 0.4:
                    for _ in range(rng.randint(1, 3)):
                        sub = self.company(
                            rng,
                            country_code=weighted(rng, COUNTRY_CODE_WEIGHTS),
                            stem=company.stem,
                            size=company.employees * rng.uniform(0.05, 0.3),
                        )
                        sub.parent_id = company.id
                        if capacity[kam.id] > 0 and rng.random() < 0.5:
                            capacity[kam.id] -= 1
                            sub.owner, sub.tier = kam, Tier.KEY_ACCOUNT
                            sub.customer_since = company.customer_since
                        else:
                            sub.owner = rep_for(sub)
                            existing_customer(sub, 0.5)
                        result.append(sub)
                continue
            company.owner = rep_for(company)
            existing_customer(company, 0.35 if company.employees > 100 else 0.2)
            company.strategic = rng.random() < 0.01
            result.append(company)
            if company.employees > 1000 and rng.random() < 0.2:
                for _ in range(rng.randint(1, 2)):
                    sub = self.company(
                        rng,
                        country_code=weighted(rng, COUNTRY_CODE_WEIGHTS),
                        stem=company.stem,
                        size=company.employees * rng.uniform(0.05, 0.3),
                    )
                    sub.parent_id = company.id
                    sub.owner = company.owner if sub.region == company.region else rep_for(sub)
                    sub.customer_since = company.customer_since
                    result.append(sub)
        for company in result:
            if company.customer_since is not None:
                company.created = min(
                    company.customer_since, self.window_start
                ) - datetime.timedelta(days=rng.randint(0, 200))
            else:
                company.created = self.window_start + datetime.timedelta(
                    days=rng.randint(-400, (self.today - self.window_start).days - 30)
                )
        return result

    def write_company(self, rng: random.Random, company: Company) -> None:
        potential = company.annual_revenue * 0.004 * lognormal(rng, 1.0, 0.5)
        self.w_account.add(
            (
                company.id,
                company.name,
                f"{MARK}{company.id}",
                company.parent_id,
                company.sector_id,
                company.employees,
                Decimal(company.annual_revenue),
                company.year_established,
                company.country,
                company.city,
                company.owner.id,
                company.tier,
                company.strategic,
                money(round(potential, -2)),
                at(company.created, 60),
            )
        )
        for (product_code, day), (quantity, amount) in sorted(company.revenue.items()):
            if day > self.today or day < self.window_start:
                continue
            self.w_revenue.add(
                (
                    self.ids.take(RevenueLine),
                    company.id,
                    self.products[product_code][0],
                    day,
                    Decimal(str(round(quantity, 3))),
                    cents(amount),
                )
            )
        company.revenue.clear()

    # -- contacts ------------------------------------------------------------------------------

    def make_contacts(self, rng: random.Random, company: Company) -> None:
        levels = [
            HierarchyLevel.C_LEVEL,
            HierarchyLevel.DIRECTOR,
            HierarchyLevel.MANAGER,
            HierarchyLevel.OPERATIONAL,
        ]
        key = company.tier == Tier.KEY_ACCOUNT
        if key:
            single_threaded = rng.random() < 0.1
            n = rng.randint(1, 2) if single_threaded else rng.randint(5, 12)
            company.no_decision_maker = single_threaded or rng.random() < 0.15
            chosen = rng.sample(levels, k=min(n, 4))
            chosen += rng.choices(levels, [15, 25, 35, 25], k=n - len(chosen))
        else:
            n = rng.randint(2, 5) if company.customer_since else rng.randint(1, 3)
            company.no_decision_maker = rng.random() < 0.4
            chosen = rng.choices(levels, [20, 25, 35, 20], k=n)
        base_strength = 3.4 if key else (2.8 if company.customer_since else 2.0)
        has_decision_maker = False
        for level in chosen:
            role = self.buying_role(rng, level)
            if role == BuyingRole.DECISION_MAKER:
                if company.no_decision_maker or has_decision_maker:
                    role = BuyingRole.ECONOMIC_BUYER if level != "operational" else BuyingRole.USER
                has_decision_maker = True
            if (
                level == HierarchyLevel.C_LEVEL
                and not company.no_decision_maker
                and not has_decision_maker
            ):
                role, has_decision_maker = BuyingRole.DECISION_MAKER, True
            language = company.language if company.language == "de" else "en"
            name_language = {
                "Deutschland": "de",
                "Österreich": "de",
                "Schweiz": "de",
                "France": "fr",
                "Nederland": "nl",
            }.get(
                company.country,
                "en" if company.country in {"United Kingdom", "United States"} else "sv",
            )
            first = rng.choice(data.FIRST_NAMES[name_language])
            last = rng.choice(data.LAST_NAMES[name_language])
            titles = data.JOB_TITLES[level][0 if language == "de" else 1]
            strength = int(round(min(5, max(1, rng.gauss(base_strength, 0.9)))))
            phone_prefix = next(c[5] for c in data.COUNTRIES if c[1] == company.country)
            pk = self.ids.take(Contact)
            self.w_contact.add(
                (
                    pk,
                    company.id,
                    first,
                    last,
                    rng.choice(titles),
                    f"{ascii_name(first)}.{ascii_name(last)}@{company.domain}",
                    f"{phone_prefix} {rng.randint(20, 999)} {rng.randint(100000, 9999999)}",
                    level,
                    role,
                    strength,
                    rng.random() > 0.05,
                    at(company.created + datetime.timedelta(days=rng.randint(0, 30)), 90),
                )
            )
            company.contacts.append((pk, level, role))

    @staticmethod
    def buying_role(rng: random.Random, level: str) -> str:
        roles = {
            "c_level": [("decision_maker", 60), ("economic_buyer", 25), ("influencer", 15)],
            "director": [
                ("economic_buyer", 30),
                ("decision_maker", 15),
                ("champion", 25),
                ("influencer", 20),
                ("blocker", 10),
            ],
            "manager": [("champion", 30), ("influencer", 35), ("user", 20), ("blocker", 15)],
            "operational": [("user", 55), ("gatekeeper", 25), ("influencer", 20)],
        }[level]
        return weighted(rng, roles)

    # -- contracts and renewals ----------------------------------------------------------------

    def subscription_for(self, rng: random.Random, company: Company) -> str:
        if company.employees > 3000:
            choices = [("ATL-ENT", 5), ("ATL-PRO", 3), ("NOV-FOR", 2), ("SRV-SUP", 2)]
        elif company.employees > 300:
            choices = [("ATL-PRO", 5), ("ATL-ESS", 2), ("NOV-INS", 2), ("SRV-SUP", 2)]
        else:
            choices = [("ATL-ESS", 6), ("NOV-INS", 3), ("SRV-SUP", 1)]
        return weighted(rng, choices)

    def make_contracts(self, rng: random.Random, company: Company):
        """Contract chains for existing customers, with their revenue and renewal deals."""
        if company.customer_since is None:
            return []
        key = company.tier == Tier.KEY_ACCOUNT
        if not key and rng.random() < 0.4:
            # A smaller customer without a framework contract still buys now and then.
            code = rng.choice(["ATL-ESS", "NOV-INS", "ORB-G2"])
            company.products.add(code)
            monthly = self.products[code][3] * lognormal(rng, 1.0, 0.5) / 12
            day = self.window_start.replace(day=company.invoice_day)
            while day <= self.today:
                if rng.random() < 0.7:
                    cell = company.revenue[(code, day)]
                    cell[0] += 1
                    cell[1] += monthly
                day = add_months(day, 1)
            return []
        plans = []
        n_contracts = rng.randint(1, 3) if key else 1
        codes = []
        for _ in range(n_contracts):
            code = self.subscription_for(rng, company)
            if code not in codes:
                codes.append(code)
        size = max(0.5, min(25.0, (company.employees / 250) ** 0.5))
        for number, code in enumerate(codes):
            company.products.add(code)
            price = self.products[code][3]
            term = rng.choice([12, 12, 24, 36])
            notice = rng.choice([30, 60, 90, 90, 180])
            terms = weighted(
                rng,
                [
                    (RenewalTerms.AUTOMATIC, 30),
                    (RenewalTerms.NEGOTIATED, 60),
                    (RenewalTerms.NONE, 10),
                ],
            )
            churned = not key and rng.random() < 0.12
            if churned:
                end = self.today - datetime.timedelta(days=rng.randint(30, 600))
            elif key and number == 0 and self.renewal_slots.get(company.owner.id, 0) < 4:
                # Some key accounts renew within the next 90 or 180 days.
                slot = self.renewal_slots.get(company.owner.id, 0)
                self.renewal_slots[company.owner.id] = slot + 1
                low, high = (5, 90) if slot < 2 else (91, 180)
                end = self.today + datetime.timedelta(days=rng.randint(low, high))
            else:
                end = self.today + datetime.timedelta(days=rng.randint(1, term * 30))
                # Key accounts stay, but now and then drop a product line. Drawn from a
                # generator of its own, so the rest of the demo stays as it was.
                dropped = random.Random(f"{self.seed}:key-churn:{company.id}:{code}")
                if key and dropped.random() < KEY_CONTRACT_CHURN:
                    churned = True
                    end = self.today - datetime.timedelta(days=dropped.randint(30, 600))
            value = price * size * lognormal(rng, 1.0, 0.3)
            chain = []  # newest first: (start, end, value, status)
            status = ContractStatus.CHURNED if churned else ContractStatus.ACTIVE
            while True:
                start = add_months(end, -term) + datetime.timedelta(days=1)
                chain.append((start, end, value, status))
                if start <= self.window_start - datetime.timedelta(days=365):
                    break
                status = weighted(
                    rng,
                    [
                        (ContractStatus.RENEWED, 65),
                        (ContractStatus.EXPANDED, 20),
                        (ContractStatus.REDUCED, 15),
                    ],
                )
                factor = {
                    ContractStatus.RENEWED: rng.uniform(1.0, 1.05),
                    ContractStatus.EXPANDED: rng.uniform(1.15, 1.5),
                    ContractStatus.REDUCED: rng.uniform(0.6, 0.9),
                }[status]
                value = value / factor
                end = start - datetime.timedelta(days=1)
            chain.reverse()
            name = self.products[code][1]
            for index, (start, end, value, status) in enumerate(chain):
                self.w_contract.add(
                    (
                        self.ids.take(Contract),
                        company.id,
                        f"{name} {start.year}–{end.year}",
                        start,
                        end,
                        money(round(value, -2)),
                        notice,
                        terms,
                        status,
                    )
                )
                day = max(start, self.window_start).replace(day=company.invoice_day)
                if day < start:
                    day = add_months(day, 1)
                while day <= min(end, self.today):
                    cell = company.revenue[(code, day)]
                    cell[0] += 1
                    cell[1] += value / 12
                    day = add_months(day, 1)
                successor = chain[index + 1][2] if index + 1 < len(chain) else None
                decided_by = end - datetime.timedelta(days=notice)
                opened = decided_by - datetime.timedelta(days=rng.randint(30, 75))
                if opened < self.window_start or opened > self.today:
                    continue
                plans.append((company, (code, opened, decided_by, status, successor or value)))
        return plans

    # -- deals ---------------------------------------------------------------------------------

    def renewal_deal(self, rng, company, code, opened, decided_by, status, next_value) -> None:
        if status == ContractStatus.ACTIVE:
            outcome = "won" if decided_by <= self.today and rng.random() < 0.85 else "open"
            if decided_by <= self.today and outcome == "open" and rng.random() < 0.5:
                outcome = "lost"
        elif status == ContractStatus.CHURNED:
            outcome = "lost"
        else:
            outcome = "won"
        close = min(decided_by - datetime.timedelta(days=rng.randint(0, 20)), self.today)
        close = max(close, opened)
        if outcome == "open":
            close = None
        self.write_deal(
            rng,
            company,
            deal_type=DealType.RENEWAL,
            product_code=code,
            value=next_value,
            created=opened,
            planned_close=decided_by,
            outcome=outcome,
            closed=close,
            channel="existing_customer",
            start_stage=3,
        )

    def pool_deal(self, rng: random.Random, company: Company, created: datetime.date) -> None:
        customer = company.customer_since is not None and company.customer_since <= created
        if not customer:
            deal_type = DealType.NEW_BUSINESS
        else:
            deal_type = weighted(
                rng,
                [
                    (DealType.CROSS_SELL, 42),
                    (DealType.UP_SELL, 42),
                    (DealType.RENEWAL, 6),
                ],
            )
        code = self.product_for(rng, company, deal_type)
        price = self.products[code][3]
        size = max(0.6, min(8.0, (company.employees / 300) ** 0.3))
        median_quantity = {
            "ORB-G2": 8,
            "SRV-TRN": 4,
            "ORB-EDGE": 2,
            "NOV-INS": 1.5,
        }.get(code, 1.0)
        value = price * lognormal(rng, median_quantity * size, 0.6) * (1 - rng.uniform(0, 0.25))
        value = max(500, round(value, -1))
        cycle = lognormal(rng, CYCLE_DAYS[deal_type], 0.5) * (value / (price + 1)) ** 0.1
        cycle = int(min(330, max(10, cycle)))
        planned = created + datetime.timedelta(days=cycle)
        if planned.month in (7, 8) and rng.random() < 0.4:
            planned = datetime.date(planned.year, rng.choice([9, 10]), rng.randint(5, 28))
        elif planned.month in (1, 2) and rng.random() < 0.3:
            # Year-end budgets: customers sign before Christmas rather than in the new year.
            planned = max(
                created + datetime.timedelta(days=7),
                datetime.date(planned.year - 1, 12, rng.randint(1, 20)),
            )
        elif rng.random() < 0.25:
            quarter_end = add_months(quarter_start(planned), 3) - datetime.timedelta(days=1)
            planned = quarter_end - datetime.timedelta(days=rng.randint(0, 9))
            planned = max(planned, created + datetime.timedelta(days=7))
        if planned <= self.today:
            overdue = (self.today - planned).days
            if overdue < 200 and rng.random() < 0.04:
                outcome, closed = "open", None  # a stalled deal, past its expected close
            else:
                rate = WIN_RATE[deal_type] * company.owner.skill
                if planned.month >= 10:
                    rate *= 1.3
                elif planned.month in (7, 8):
                    rate *= 0.75
                if company.tier == Tier.KEY_ACCOUNT:
                    rate *= 1.1
                outcome = "won" if rng.random() < min(0.9, rate) else "lost"
                closed = planned
        else:
            outcome, closed = "open", None
        if deal_type == DealType.NEW_BUSINESS:
            channel = weighted(
                rng,
                [
                    ("inbound", 30),
                    ("outbound", 30),
                    ("partner", 15),
                    ("event", 15),
                    ("referral", 10),
                ],
            )
            start_stage = 1 if channel in ("inbound", "referral") else 0
        else:
            channel = weighted(
                rng, [("existing_customer", 70), ("partner", 10), ("inbound", 10), ("event", 10)]
            )
            start_stage = 2 if deal_type != DealType.RENEWAL else 3
        self.write_deal(
            rng,
            company,
            deal_type=deal_type,
            product_code=code,
            value=value,
            created=created,
            planned_close=planned,
            outcome=outcome,
            closed=closed,
            channel=channel,
            start_stage=start_stage,
        )

    def product_for(self, rng: random.Random, company: Company, deal_type: str) -> str:
        owned = company.products
        if deal_type == DealType.NEW_BUSINESS or not owned:
            if company.employees > 2000:
                pairs = [("ATL-PRO", 4), ("ATL-ENT", 2), ("NOV-FOR", 2), ("ORB-EDGE", 2)]
            else:
                pairs = [("ATL-ESS", 5), ("NOV-INS", 3), ("ORB-G2", 3), ("ATL-PRO", 1)]
            return weighted(rng, pairs)
        owned_series = {self.products[code][2] for code in owned}
        if deal_type == DealType.UP_SELL:
            ladder = {"ATL-ESS": "ATL-PRO", "ATL-PRO": "ATL-ENT", "NOV-INS": "NOV-FOR"}
            upgrades = sorted(ladder[c] for c in owned if c in ladder)
            if upgrades:
                return rng.choice(upgrades)
            return rng.choice(sorted(owned))
        if deal_type == DealType.RENEWAL:
            return rng.choice(sorted(owned))
        others = [row[0] for row in data.PRODUCTS if row[2] not in owned_series]
        if not others:
            others = [row[0] for row in data.PRODUCTS]
        return rng.choice(others)

    def write_deal(
        self,
        rng: random.Random,
        company: Company,
        *,
        deal_type: str,
        product_code: str,
        value: float,
        created: datetime.date,
        planned_close: datetime.date,
        outcome: str,
        closed: datetime.date | None,
        channel: str,
        start_stage: int,
    ) -> None:
        owner = company.owner
        deal_id = self.ids.take(Deal)
        last_open = OPEN_STAGE_COUNT - 1
        if outcome == "won":
            reached = last_open
        elif outcome == "lost":
            reached = start_stage + int((last_open - start_stage + 1) * rng.random() ** 1.6)
            reached = min(last_open, reached)
        else:
            if closed is None and planned_close <= self.today:
                reached = rng.randint(start_stage, last_open)  # stalled
            else:
                # Where the deal will get to (many open deals will be lost early), and how far
                # along that way it is today.
                if rng.random() < 0.35:
                    final = last_open
                else:
                    final = start_stage + int((last_open - start_stage + 1) * rng.random() ** 1.3)
                span = max(1, (planned_close - created).days)
                progress = min(0.999, (self.today - created).days / span)
                reached = min(last_open, start_stage + int(progress * (final - start_stage + 1)))
        path = [start_stage]
        for index in range(start_stage + 1, reached + 1):
            if index < reached and rng.random() < 0.12:
                continue  # some deals skip a stage
            path.append(index)
        stage_ids = [self.open_stages[i] for i in path]
        if outcome == "won":
            stage_ids.append(self.won_stage)
        elif outcome == "lost":
            stage_ids.append(self.lost_stage)
        # When each stage was entered: the first at creation, the last at the close (or, for
        # open deals, some time between creation and today).
        if closed is not None:
            end = closed
        else:
            latest = min(self.today, planned_close)
            end = created + datetime.timedelta(
                days=int((latest - created).days * rng.uniform(0.4, 1.0))
            )
        gaps = [rng.expovariate(1.0) for _ in range(len(stage_ids) - 1)]
        total = sum(gaps) or 1.0
        span = (end - created).days
        days = [created]
        running = 0.0
        for gap in gaps:
            running += gap
            days.append(created + datetime.timedelta(days=int(span * running / total)))
        if closed is not None:
            days[-1] = closed
        minutes = sorted(rng.randint(0, 560) for _ in days)
        moments = []
        for day, minute in zip(days, minutes, strict=True):
            moment = at(day, minute)
            if moments and moment <= moments[-1]:
                moment = moments[-1] + datetime.timedelta(seconds=30)
            moments.append(moment)
        previous = None
        engaged = None
        history = []
        for stage_id, day, moment in zip(stage_ids, days, moments, strict=True):
            history.append(
                (self.ids.take(StageChange), deal_id, previous, stage_id, moment, owner.id)
            )
            if engaged is None and stage_id in self.open_stages[2:]:
                engaged = day
            previous = stage_id
        if engaged is None and outcome == "won":
            engaged = created
        lost_reason = ""
        if outcome == "lost":
            lost_reason = weighted(rng, data.LOST_REASONS)
        stage = stage_ids[-1]
        expected = planned_close
        if closed is not None:
            expected = planned_close - datetime.timedelta(days=rng.randint(0, 30))
            expected = max(expected, created)
        product_id, product_name, _series, _price, billing = self.products[product_code]
        self.deal_rows.add(
            (
                deal_id,
                f"{company.name} – {product_name}",
                None,
                company.id,
                owner.id,
                product_id,
                money(value),
                stage,
                self.channels.get(channel),
                deal_type,
                created,
                engaged,
                expected,
                closed,
                lost_reason,
            ),
            history,
        )
        self.deal_activities(rng, company, deal_id, created, closed or self.today, len(path))
        if outcome == "won":
            self.won_by_rep[owner.id][quarter_start(closed)] += value
            if company.customer_since is None or closed < company.customer_since:
                company.customer_since = closed  # from now on, a customer
            company.products.add(product_code)
            if deal_type != DealType.RENEWAL:
                self.invoice(rng, company, product_code, value, closed, billing)

    def invoice(self, rng, company, code, value, closed, billing) -> None:
        first = add_months(closed.replace(day=company.invoice_day), 1)
        if billing == "subscription":
            months, quantity = 12, 1.0
        else:
            months = rng.randint(1, 3)
            quantity = max(1.0, round(value / self.products[code][3]))
        day = first
        for _ in range(months):
            if day > self.today:
                break
            cell = company.revenue[(code, day)]
            cell[0] += quantity / (1 if billing == "subscription" else months)
            cell[1] += value / months
            day = add_months(day, 1)

    # -- activities ----------------------------------------------------------------------------

    def activity(self, rng, company, kind, moment, owner_id, deal_id, contacts) -> None:
        if moment.date() >= self.today:
            # today's office hours may still lie ahead: nothing is logged in the future
            moment -= datetime.timedelta(days=(moment.date() - self.today).days + 1)
        pk = self.ids.take(Activity)
        subjects = data.ACTIVITY_SUBJECTS[kind][0 if company.language == "de" else 1]
        self.w_activity.add(
            (pk, kind, rng.choice(subjects), "", moment, company.id, deal_id, owner_id)
        )
        for contact_id in contacts:
            self.w_activity_contact.add((self.ids.take(ActivityContact), pk, contact_id))

    def deal_activities(self, rng, company, deal_id, start, end, steps) -> None:
        n = rng.randint(1, 2) + steps // 2
        span = max(0, (end - start).days)
        kinds = [
            (ActivityKind.CALL, 30),
            (ActivityKind.EMAIL, 30),
            (ActivityKind.MEETING, 18),
            (ActivityKind.PRESENTATION, 8),
            (ActivityKind.VISIT, 8),
            (ActivityKind.NOTE, 6),
        ]
        for _ in range(n):
            day = start + datetime.timedelta(days=rng.randint(0, span))
            contacts = []
            if company.contacts and rng.random() < 0.8:
                k = min(len(company.contacts), rng.randint(1, 2))
                contacts = sorted({c[0] for c in rng.sample(company.contacts, k)})
            self.activity(
                rng,
                company,
                weighted(rng, kinds),
                at(day, rng.randint(0, 560)),
                company.owner.id,
                deal_id,
                contacts,
            )

    def key_account_rhythm(self, rng: random.Random, company: Company) -> None:
        """QBRs each quarter and visits over the year: a KAM's routine with a key account."""
        senior = [c[0] for c in company.contacts if c[1] in ("c_level", "director")]
        anyone = [c[0] for c in company.contacts]
        quarter = quarter_start(self.window_start)
        while quarter <= self.today:
            if rng.random() < 0.8:
                day = quarter + datetime.timedelta(days=rng.randint(20, 80))
                if day <= self.today:
                    people = senior or anyone
                    chosen = sorted(set(rng.sample(people, min(len(people), 3)))) if people else []
                    self.activity(
                        rng, company, ActivityKind.QBR, at(day, 180), company.owner.id, None, chosen
                    )
            for _ in range(rng.randint(0, 2)):
                day = quarter + datetime.timedelta(days=rng.randint(0, 89))
                if day <= self.today:
                    chosen = [rng.choice(anyone)] if anyone else []
                    kind = rng.choice([ActivityKind.VISIT, ActivityKind.CALL, ActivityKind.EMAIL])
                    self.activity(
                        rng,
                        company,
                        kind,
                        at(day, rng.randint(0, 560)),
                        company.owner.id,
                        None,
                        chosen,
                    )
            quarter = add_months(quarter, 3)

    # -- quotas --------------------------------------------------------------------------------

    def make_quotas(self, rng: random.Random) -> None:
        """Quarterly won-value targets per rep and team, set from what each rep really sells."""
        first = quarter_start(self.window_start)
        last = add_months(quarter_start(self.today), 3)  # including next quarter
        closed_quarters = []
        quarter = first
        while quarter < quarter_start(self.today):
            closed_quarters.append(quarter)
            quarter = add_months(quarter, 3)
        season = {1: 0.9, 4: 0.95, 7: 0.85, 10: 1.3}
        for team_id, members in self.team_members.items():
            per_quarter = {}
            for rep in members:
                won = self.won_by_rep.get(rep.id, {})
                average = sum(won.get(q, 0.0) for q in closed_quarters) / max(
                    1, len(closed_quarters)
                )
                per_quarter[rep.id] = average
            team_average = sum(per_quarter.values()) / max(1, len(per_quarter))
            team_totals = defaultdict(float)
            for rep in members:
                base = per_quarter[rep.id] or team_average
                quarter = first
                while quarter <= last:
                    target = base * season[quarter.month] * rng.uniform(1.0, 1.2)
                    target = round(target, -3)
                    team_totals[quarter] += target
                    self.quota(rep.id, None, quarter, target)
                    quarter = add_months(quarter, 3)
            for quarter, total in sorted(team_totals.items()):
                self.quota(None, team_id, quarter, total)

    def quota(self, user_id, team_id, quarter, target) -> None:
        self.w_quota.add(
            (
                self.ids.take(Quota),
                user_id,
                team_id,
                QuotaMetric.WON_VALUE,
                PeriodKind.QUARTER,
                quarter,
                add_months(quarter, 3) - datetime.timedelta(days=1),
                money(target),
            )
        )


def build_demo(
    *,
    scale: int = 1,
    seed: int = 1,
    today: datetime.date | None = None,
    on_deals: Callable[[int], None] | None = None,
) -> DemoSummary:
    """Write the demo organisation into the configured database, in one transaction."""
    today = today or timezone.localdate()
    # Millions of short-lived tuples would trigger the cyclic garbage collector over and over;
    # it is paused while the rows are made and run once per unit instead (about 8 % faster).
    collecting = gc.isenabled()
    gc.disable()
    try:
        # the KAM figures are computed whole below: the services' writes mark no account
        with kam_figures.marks_paused():
            summary = _build_in_transaction(scale, seed, today, on_deals)
    finally:
        if collecting:
            gc.enable()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # The KPI rollups fold the rows just written (else the first cockpit view would), and the
    # KAM figures are computed whole: most rows went past the services that mark them stale.
    rebuild()
    kam_figures.refresh(full=True)
    return summary


def _build_in_transaction(scale, seed, today, on_deals) -> DemoSummary:
    with transaction.atomic():
        fast = skip_foreign_key_triggers()
        with BackgroundWriter() as sink:
            builder = DemoBuilder(scale=scale, seed=seed, today=today, on_deals=on_deals, sink=sink)
            first_ids = dict(builder.ids.next_id)
            summary = builder.build()
        if fast:
            check_foreign_keys(first_ids)
    return summary
