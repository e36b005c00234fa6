"""Import of the Maven Analytics CRM sample (accounts, products, sales teams, 8,800 deals).

Decisions, each also written into the report:

- users: agents become reps (`maven:agent:<name>`), managers Sales Managers
  (`maven:manager:<name>`); one team per manager in their regional office; usernames are the
  slugged names; imported users get an unusable password (an admin sets one to let them in);
- sectors: mapped to the seeded sectors by code; `technolgy` is read as `technology`;
- annual revenue is given in millions and stored in full;
- products: upserted by code (the slugged name); a pipeline spelling that differs only in
  spaces/case/dashes (`GTXPro`) is matched to its product through a new ProductAlias;
- deals (`maven:<opportunity_id>`): closed deals are valued at their close value, open deals
  at their product's list price; created_on = engaged_on; deals without an account are kept
  (account NULL) and counted;
- stage history: None→engaging at engage_date, engaging→won/lost at close_date; prospecting
  deals get None→prospecting at import time; written only when a deal is created, or when the
  file moves an existing deal to another stage: that move follows the pipeline's rule
  (`pipeline.rules.move`, at the close date when the file gives one), like a move in Tandem;
  the file keeps no lost reasons, so a deal it newly marks lost is moved without one, and the
  report counts them;
- every record is written through its domain's bulk upsert (accounts, catalog, pipeline),
  which keeps the audit trail and tells the KPI rollups exactly which owners changed;
- account owner (set when the account is created; later ownership is Tandem's business): the
  agent with the most won value on it (ties by name), else with the most deals, else the
  acting user.
"""

from __future__ import annotations

import csv
import datetime
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_noop
from tqdm import tqdm

from tandem.accounts.bulk import AccountWrite, upsert_accounts
from tandem.accounts.models import Account, Sector
from tandem.catalog.bulk import ProductWrite, add_product_aliases, upsert_products
from tandem.catalog.models import Product
from tandem.catalog.services import ProductLookup, normalize
from tandem.core.errors import RowsRejected
from tandem.imports.readers import (
    CellError,
    check_headers,
    checked_text,
    parse_date,
    parse_decimal,
    parse_int,
)
from tandem.imports.services import (
    ImportReport,
    ImportResult,
    file_sha256,
    run_import,
)
from tandem.pipeline.bulk import DealWrite, upsert_deals
from tandem.pipeline.models import Deal, Stage, StageChange, StageOutcome
from tandem.pipeline.rules import day_start, reported_move_at
from tandem.users.models import Region, Role, Team, User
from tandem.users.services import ensure_region, upsert_imported_user, upsert_manager_team

FILES = {
    "accounts": (
        "accounts.csv",
        [
            "account",
            "sector",
            "year_established",
            "revenue",
            "employees",
            "office_location",
            "subsidiary_of",
        ],
    ),
    "products": ("products.csv", ["product", "series", "sales_price"]),
    "teams": ("sales_teams.csv", ["sales_agent", "manager", "regional_office"]),
    "pipeline": (
        "sales_pipeline.csv",
        [
            "opportunity_id",
            "sales_agent",
            "product",
            "account",
            "deal_stage",
            "engage_date",
            "close_date",
            "close_value",
        ],
    ),
}
PIPELINE = "sales_pipeline.csv"
STAGE_CODES = {"prospecting": "prospecting", "engaging": "engaging", "won": "won", "lost": "lost"}
SECTOR_SPELLINGS = {"technolgy": "technology"}
MILLION = Decimal(1_000_000)


def agent_ref(name: str) -> str:
    return f"maven:agent:{name}"


def manager_ref(name: str) -> str:
    return f"maven:manager:{name}"


def account_ref(name: str) -> str:
    return f"maven:account:{name}"


def deal_ref(opportunity_id: str) -> str:
    return f"maven:{opportunity_id}"


def product_code(name: str) -> str:
    return slugify(name).upper()


def read_file(directory: Path, key: str, report: ImportReport) -> list[tuple[int, dict]]:
    name, columns = FILES[key]
    path = directory / name
    if not path.exists():
        raise report.fail(
            gettext_noop("The file {name} is missing in {directory}."),
            name=name,
            directory=str(directory),
        )
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        found = reader.fieldnames or []
        check_headers(list(found), report)
        missing = [c for c in columns if c not in found]
        if missing:
            raise report.fail(
                gettext_noop("{name} lacks the column(s) {missing}; columns found: {found}."),
                name=name,
                missing=", ".join(missing),
                found=", ".join(found),
            )
        rows = []
        for row in reader:
            cells = {k: (v or "").strip() for k, v in row.items()}
            problem = _control_character(cells)
            if problem is not None:
                report.reject(
                    reader.line_num, gettext_noop("{file}: {problem}"), file=name, problem=problem
                )
                continue
            rows.append((reader.line_num, cells))
        return rows


def _control_character(cells: dict) -> dict | None:
    """The first cell's problem with the text rule (tandem/core/validation.py), as a message."""
    for column, value in cells.items():
        try:
            checked_text(value, column)
        except CellError as error:
            return {"text": error.template, "params": error.params}
    return None


class MavenImport:
    def __init__(self, directory: Path, acting_user: User, progress: bool = True):
        self.directory = directory
        self.acting_user = acting_user
        self.progress = progress

    # --- validation -------------------------------------------------------------------------

    def cell(self, report, line, file, parse, value, column):
        try:
            return parse(value, column)
        except CellError as error:
            report.reject(
                line,
                gettext_noop("{file}: {problem}"),
                file=file,
                problem={"text": error.template, "params": error.params},
            )
            return None

    def validate(self, report: ImportReport) -> None:
        d = self.directory
        self.teams = read_file(d, "teams", report)
        self.products = read_file(d, "products", report)
        self.accounts = read_file(d, "accounts", report)
        self.pipeline = read_file(d, "pipeline", report)

        self.agent_team: dict[str, tuple[str, str]] = {}
        for line, row in self.teams:
            if not (row["sales_agent"] and row["manager"] and row["regional_office"]):
                report.reject(
                    line,
                    gettext_noop(
                        "sales_teams.csv: agent, manager and regional office are all required."
                    ),
                )
                continue
            if row["sales_agent"] in self.agent_team:
                report.reject(
                    line,
                    gettext_noop("sales_teams.csv: agent {name} is listed twice."),
                    name=row["sales_agent"],
                )
            self.agent_team[row["sales_agent"]] = (row["manager"], row["regional_office"])

        self.product_rows: dict[str, dict] = {}
        for line, row in self.products:
            price = self.cell(
                report, line, "products.csv", parse_decimal, row["sales_price"], "sales_price"
            )
            if not row["product"]:
                report.reject(line, gettext_noop("products.csv: the product name is empty."))
            elif price is not None and price < 0:
                report.reject(
                    line,
                    gettext_noop("products.csv: the price of {name} is negative."),
                    name=row["product"],
                )
            else:
                self.product_rows[row["product"]] = {"series": row["series"], "price": price}

        sectors = {s.code: s for s in Sector.objects.all()}
        self.sectors = sectors
        self.account_rows: dict[str, dict] = {}
        self.sector_fixes: Counter = Counter()
        names = {row["account"] for _, row in self.accounts}
        for line, row in self.accounts:
            name = row["account"]
            if not name:
                report.reject(line, gettext_noop("accounts.csv: the account name is empty."))
                continue
            if name in self.account_rows:
                report.reject(
                    line, gettext_noop("accounts.csv: account {name} is listed twice."), name=name
                )
            raw_sector = row["sector"].casefold()
            code = SECTOR_SPELLINGS.get(raw_sector, raw_sector)
            if code != raw_sector:
                self.sector_fixes[(row["sector"], code)] += 1
            if code and code not in sectors:
                report.reject(
                    line,
                    gettext_noop("accounts.csv: unknown sector “{sector}” for {name}."),
                    sector=row["sector"],
                    name=name,
                )
            parent = row["subsidiary_of"]
            if parent and (parent not in names or parent == name):
                report.reject(
                    line,
                    gettext_noop(
                        "accounts.csv: the parent company “{parent}” of {name} is not in the file."
                    ),
                    parent=parent,
                    name=name,
                )
            values = {
                "year": self.cell(
                    report,
                    line,
                    "accounts.csv",
                    parse_int,
                    row["year_established"],
                    "year_established",
                ),
                "revenue": self.cell(
                    report, line, "accounts.csv", parse_decimal, row["revenue"], "revenue"
                ),
                "employees": self.cell(
                    report, line, "accounts.csv", parse_int, row["employees"], "employees"
                ),
            }
            for column, value in values.items():
                if value is not None and value < 0:
                    report.reject(
                        line,
                        gettext_noop("accounts.csv: {column} of {name} is negative."),
                        column=column,
                        name=name,
                    )
            self.account_rows[name] = {
                "sector": code,
                "year": values["year"],
                "revenue": None if values["revenue"] is None else values["revenue"] * MILLION,
                "employees": values["employees"],
                "country": row["office_location"],
                "parent": parent,
            }

        # products as the pipeline spells them: by name, code or alias, else a near spelling
        self.lookup = ProductLookup()
        file_products = {name: product_code(name) for name in self.product_rows}
        self.deal_rows: list[dict] = []
        self.spellings: dict[str, str] = {}  # pipeline spelling -> product name in the file
        seen: set[str] = set()
        stages = set(STAGE_CODES)
        for line, row in self.pipeline:
            oid = row["opportunity_id"]
            if not oid:
                report.reject(
                    line, gettext_noop("sales_pipeline.csv: the opportunity id is empty.")
                )
                continue
            if oid in seen:
                report.reject(
                    line,
                    gettext_noop("sales_pipeline.csv: opportunity {id} is listed twice."),
                    id=oid,
                )
            seen.add(oid)
            if row["sales_agent"] not in self.agent_team:
                report.reject(
                    line,
                    gettext_noop(
                        "sales_pipeline.csv: the agent “{name}” is not in sales_teams.csv."
                    ),
                    name=row["sales_agent"],
                )
            spelled = row["product"]
            if spelled not in self.product_rows and spelled not in self.spellings:
                match = self._match_product(spelled, file_products)
                if match is None:
                    report.reject(
                        line,
                        gettext_noop(
                            "sales_pipeline.csv: unknown product “{product}” and no alias for it."
                        ),
                        product=spelled,
                    )
                else:
                    self.spellings[spelled] = match
            if row["account"] and row["account"] not in self.account_rows:
                report.reject(
                    line,
                    gettext_noop(
                        "sales_pipeline.csv: the account “{name}” is not in accounts.csv."
                    ),
                    name=row["account"],
                )
            stage = row["deal_stage"].casefold()
            if stage not in stages:
                report.reject(
                    line,
                    gettext_noop("sales_pipeline.csv: unknown stage “{stage}”."),
                    stage=row["deal_stage"],
                )
            file = "sales_pipeline.csv"
            engaged = self.cell(report, line, file, parse_date, row["engage_date"], "engage_date")
            closed = self.cell(report, line, file, parse_date, row["close_date"], "close_date")
            value = self.cell(report, line, file, parse_decimal, row["close_value"], "close_value")
            if value is not None and value < 0:
                report.reject(
                    line,
                    gettext_noop("sales_pipeline.csv: the close value of {id} is negative."),
                    id=oid,
                )
            if engaged and closed and closed < engaged:
                report.reject(
                    line,
                    gettext_noop("sales_pipeline.csv: {id} closes before it was engaged."),
                    id=oid,
                )
            if stage in {"won", "lost"} and closed is None:
                report.reject(
                    line,
                    gettext_noop("sales_pipeline.csv: the closed deal {id} has no close date."),
                    id=oid,
                )
            self.deal_rows.append(
                {
                    "line": line,
                    "oid": oid,
                    "agent": row["sales_agent"],
                    "product": self.spellings.get(spelled, spelled),
                    "spelled": spelled,
                    "account": row["account"] or None,
                    "stage": STAGE_CODES.get(stage),
                    "engaged": engaged,
                    "closed": closed,
                    "close_value": value,
                }
            )

    def _match_product(self, spelled: str, file_products: dict[str, str]) -> str | None:
        """The file's product meant by a pipeline spelling: by alias, or a near spelling."""
        known = self.lookup.find(spelled)
        if known is not None:
            for name, code in file_products.items():
                if known.code == code or known.name.casefold() == name.casefold():
                    return name

        for name in file_products:
            if normalize(name) == normalize(spelled):
                return name
        return None

    # --- writing ----------------------------------------------------------------------------

    def write(self, report: ImportReport) -> None:
        self.write_users(report)
        self.write_products(report)
        self.write_accounts(report)
        self.write_deals(report)
        self.add_notes(report)

    def write_users(self, report: ImportReport) -> None:
        managers: dict[str, str] = {}
        for manager, region in self.agent_team.values():
            managers.setdefault(manager, region)
        self.users: dict[str, User] = {}
        regions: dict[str, Region] = {}
        for manager, region_name in managers.items():
            region = regions.get(region_name)
            if region is None:
                region, created = ensure_region(region_name)
                regions[region_name] = region
                report.outcome("regions", created=created, changed=False)
            user = self._user(manager_ref(manager), manager, Role.SALES_MANAGER, None, report)
            team, created, changed = upsert_manager_team(user, f"{manager} ({region_name})", region)
            report.outcome("teams", created=created, changed=changed)
            self.users[manager_ref(manager)] = user
            self.users[f"team:{manager}"] = team
        for agent, (manager, _region) in self.agent_team.items():
            team = self.users[f"team:{manager}"]
            self.users[agent_ref(agent)] = self._user(
                agent_ref(agent), agent, Role.SALES_REP, team, report
            )
        report.stats["regions"] = len(regions)

    def _user(self, ref: str, name: str, role: str, team: Team | None, report) -> User:
        user, created, changed = upsert_imported_user(ref, name, role=role, team=team)
        report.outcome("users", created=created, changed=changed)
        return user

    def write_products(self, report: ImportReport) -> None:
        writes = []
        for name, row in self.product_rows.items():
            product = self.lookup.find(product_code(name)) or self.lookup.find(name)
            fields = {"name": name, "series": row["series"], "list_price": row["price"]}
            if product is None:
                fields["code"] = product_code(name)
            writes.append(ProductWrite(fields, product=product))
        products = upsert_products(writes, acting_user=self.acting_user, imported_from="maven")
        self.product_by_name: dict[str, Product] = {}
        for write, product in zip(writes, products, strict=True):
            if write.created:
                self.lookup.add(product)
            report.outcome("products", created=write.created, changed=write.changed)
            self.product_by_name[product.name] = product
        new_aliases = []
        for spelled, name in sorted(self.spellings.items()):
            product = self.product_by_name[name]
            deals = sum(1 for d in self.deal_rows if d["spelled"] == spelled)
            if self.lookup.find(spelled) is None:
                new_aliases.append((product, spelled))
                self.lookup.add_alias(spelled, product)
                report.outcome("product aliases", created=True, changed=True)
                report.note(
                    gettext_noop(
                        "Product “{spelled}” in the pipeline is “{name}” in the "
                        "catalogue: an alias was created ({count} deals)."
                    ),
                    spelled=spelled,
                    name=name,
                    count=deals,
                )
            else:
                report.outcome("product aliases", created=False, changed=False)
                report.note(
                    gettext_noop(
                        "Product “{spelled}” in the pipeline was matched to “{name}” "
                        "through its alias ({count} deals)."
                    ),
                    spelled=spelled,
                    name=name,
                    count=deals,
                )
        add_product_aliases(new_aliases, acting_user=self.acting_user)

    def owners(self) -> dict[str, User]:
        """Per account name: most won value (ties by name), else most deals, else acting."""
        won: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        count: dict[str, Counter] = defaultdict(Counter)
        for deal in self.deal_rows:
            if not deal["account"]:
                continue
            count[deal["account"]][deal["agent"]] += 1
            if deal["stage"] == "won":
                won[deal["account"]][deal["agent"]] += deal["close_value"] or 0
        owners = {}
        for name in self.account_rows:
            if won.get(name):
                agent = min(won[name].items(), key=lambda kv: (-kv[1], kv[0]))[0]
            elif count.get(name):
                agent = min(count[name].items(), key=lambda kv: (-kv[1], kv[0]))[0]
            else:
                owners[name] = self.acting_user
                continue
            owners[name] = self.users[agent_ref(agent)]
        return owners

    def write_accounts(self, report: ImportReport) -> None:
        owners = self.owners()
        existing = {
            a.external_ref: a
            for a in Account.objects.filter(external_ref__startswith="maven:account:")
        }
        writes: dict[str, AccountWrite] = {}
        for name, row in self.account_rows.items():
            fields = {
                "name": name,
                "sector": self.sectors.get(row["sector"]),
                "employees": row["employees"],
                "annual_revenue": row["revenue"],
                "year_established": row["year"],
                "country": row["country"],
            }
            account = existing.get(account_ref(name))
            if account is None:
                # the owner is set when the account is created; later it is Tandem's business
                fields.update(external_ref=account_ref(name), owner=owners[name])
            writes[name] = AccountWrite(fields, account=account)
        for name, row in self.account_rows.items():
            parent = writes.get(row["parent"]) if row["parent"] else None
            writes[name].fields["parent"] = parent
        upsert_accounts(list(writes.values()), acting_user=self.acting_user, imported_from="maven")
        self.account_by_name: dict[str, Account] = {}
        for name, write in writes.items():
            self.account_by_name[name] = write.instance
            report.outcome("accounts", created=write.created, changed=write.changed)
        report.stats["accounts_with_parent"] = sum(
            1 for r in self.account_rows.values() if r["parent"]
        )
        report.stats["accounts_owned_by_acting_user"] = sum(
            1 for o in owners.values() if o.pk == self.acting_user.pk
        )

    def write_deals(self, report: ImportReport) -> None:
        stages = {s.code: s for s in Stage.objects.filter(code__in=set(STAGE_CODES.values()))}
        existing = {
            d.external_ref: d
            for d in Deal.objects.filter(external_ref__startswith="maven:").select_related("stage")
        }
        now = timezone.now()
        zone = timezone.get_current_timezone()
        writes: list[DealWrite] = []
        rows = tqdm(
            self.deal_rows, desc="deals", unit="deals", disable=not self.progress, leave=False
        )
        for row in rows:
            product = self.product_by_name[row["product"]]
            account = self.account_by_name.get(row["account"]) if row["account"] else None
            stage = stages[row["stage"]]
            closed = stage.code in {"won", "lost"}
            value = (row["close_value"] or Decimal(0)) if closed else (product.list_price or 0)
            name = (
                f"{account.name} – {product.name}" if account else f"{product.name} – {row['oid']}"
            )
            fields = {
                "name": name[:200],
                "account": account,
                "owner": self.users[agent_ref(row["agent"])],
                "product": product,
                "value": Decimal(value).quantize(Decimal("0.01")),
                "stage": stage,
                "created_on": row["engaged"],
                "engaged_on": row["engaged"],
                "closed_on": row["closed"],
            }
            deal = existing.get(deal_ref(row["oid"]))
            if deal is None:
                fields["external_ref"] = deal_ref(row["oid"])
                writes.append(
                    DealWrite(
                        fields, history=self.history(fields, stages, now, zone), line=row["line"]
                    )
                )
            else:
                at = reported_move_at(stage, row["closed"], now, zone)
                write = DealWrite(fields, deal=deal, at=at, line=row["line"], reason_required=False)
                writes.append(write)
        try:
            upsert_deals(writes, acting_user=self.acting_user, imported_from="maven")
        except RowsRejected as error:
            for line, problem in error.problems:
                report.reject(
                    line, gettext_noop("{file}: {problem}"), file=PIPELINE, problem=problem
                )
            report.check()
        for write in writes:
            report.outcome("deals", created=write.created, changed=write.changed)
        lost_without_reason = sum(
            1
            for write in writes
            if write.deal is not None
            and write.stage_changes
            and write.deal.stage.outcome == StageOutcome.LOST
            and not write.deal.lost_reason
        )
        if lost_without_reason:
            report.note(
                gettext_noop(
                    "{count} deals the file now marks lost were moved to lost without a reason "
                    "(the file has none)."
                ),
                count=lost_without_reason,
            )
        report.count("stage changes", created=sum(w.stage_changes for w in writes))

    def history(
        self, fields: dict, stages: dict[str, Stage], now, zone: datetime.tzinfo
    ) -> list[StageChange]:
        """A new deal's stage history as the file tells it: engaging from its engage date,
        won or lost at its close date; a prospecting deal enters its stage now."""
        stage = fields["stage"]
        if stage.code == "prospecting":
            return [
                StageChange(
                    from_stage=None, to_stage=stage, changed_at=now, changed_by=self.acting_user
                )
            ]
        engaging = stages["engaging"]
        changes = [
            StageChange(
                from_stage=None, to_stage=engaging, changed_at=day_start(fields["engaged_on"], zone)
            )
        ]
        if stage.code != "engaging":
            changes.append(
                StageChange(
                    from_stage=engaging,
                    to_stage=stage,
                    changed_at=day_start(fields["closed_on"], zone),
                )
            )
        return changes

    def add_notes(self, report: ImportReport) -> None:
        for (spelled, code), count in sorted(self.sector_fixes.items()):
            report.note(
                gettext_noop("Sector “{spelled}” was read as “{sector}” ({count} accounts)."),
                spelled=spelled,
                sector=code,
                count=count,
            )
        report.note(
            gettext_noop("Annual revenue is given in millions in the file and is stored in full.")
        )
        report.note(
            gettext_noop(
                "Closed deals are valued at their close value, open deals at their "
                "product's list price."
            )
        )
        without = sum(1 for d in self.deal_rows if not d["account"])
        report.stats["deals_without_account"] = without
        if without:
            report.note(
                gettext_noop("{count} open deals have no account yet: assign one on the deal."),
                count=without,
            )
        per_stage = Counter(d["stage"] for d in self.deal_rows)
        report.stats["deals_per_stage"] = dict(sorted(per_stage.items()))
        won = sum((d["close_value"] or 0) for d in self.deal_rows if d["stage"] == "won")
        report.stats["won_value"] = str(won)
        report.note(
            gettext_noop(
                "Account owners: the agent with the most won value on the account, else "
                "the one with the most deals; {count} accounts without deals went to the "
                "importing user."
            ),
            count=report.stats["accounts_owned_by_acting_user"],
        )
        report.note(
            gettext_noop("Imported users have no password; an admin sets one to let them log in.")
        )
        idle = set(self.agent_team) - {d["agent"] for d in self.deal_rows}
        if idle:
            report.note(
                gettext_noop("{count} agents have no deals: {names}."),
                count=len(idle),
                names=", ".join(sorted(idle)),
            )


def import_maven(
    directory: Path | str,
    *,
    acting_user: User,
    dry_run: bool = False,
    progress: bool = False,
) -> ImportResult:
    directory = Path(directory)
    paths = [directory / name for name, _ in FILES.values() if (directory / name).exists()]
    importer = MavenImport(directory, acting_user, progress=progress)

    def work(report: ImportReport) -> None:
        importer.validate(report)
        report.check()
        importer.write(report)

    return run_import(
        "maven",
        str(directory),
        file_sha256(paths),
        work,
        acting_user=acting_user,
        dry_run=dry_run,
    )
