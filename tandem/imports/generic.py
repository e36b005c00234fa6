"""Generic import of accounts, contacts and deals from CSV or Excel, with a column mapping.

A column is found by the mapping (`--map field=Column`, `--mapping file.json`) or, without
one, by a header equal to the field name (the export's headers work, so an export can be
edited and imported again). Every row is parsed, its references resolved (accounts by
external_ref or exact name, products by code, name or alias, owners by username; the records a
file names are read in a few queries, not one per row). The rows are then written through their
domain's bulk upsert (accounts.bulk, pipeline.bulk), which applies the rules of the single-row
services (a deal the file moves to won or lost moves at its close date, if the file gives one)
and keeps the audit trail; any bad row, found here or by the domain's rules, rejects the file.

Upsert keys (so re-importing the same file changes nothing):
accounts: external_ref, else the exact name; contacts: account + e-mail, else account + first
and last name; deals: external_ref, else name + account.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Model, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from tandem.accounts.bulk import AccountWrite, ContactWrite, upsert_accounts, upsert_contacts
from tandem.accounts.models import Account, BuyingRole, Contact, HierarchyLevel, Sector, Tier
from tandem.catalog.services import ProductLookup
from tandem.core.errors import RowsRejected
from tandem.core.validation import forbidden_character
from tandem.imports.readers import (
    CellError,
    Table,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    read_table,
    text_cell,
)
from tandem.imports.services import ImportReport, ImportResult, file_sha256, run_import
from tandem.pipeline.bulk import DealWrite, upsert_deals
from tandem.pipeline.models import Channel, Deal, DealType, Stage
from tandem.pipeline.rules import reported_move_at
from tandem.pipeline.services import first_open_stage
from tandem.users.models import User


@dataclass(frozen=True)
class Field:
    name: str
    kind: str = "text"  # text, int, decimal, date, bool, choice, ref
    required: bool = False
    non_negative: bool = False
    choices: Any = None
    aliases: tuple[str, ...] = ()


FIELDS: dict[str, list[Field]] = {
    "accounts": [
        Field("external_ref"),
        Field("name", required=True),
        Field("parent", "ref"),
        Field("sector", "ref"),
        Field("employees", "int", non_negative=True),
        Field("annual_revenue", "decimal", non_negative=True),
        Field("year_established", "int", non_negative=True),
        Field("country"),
        Field("city"),
        Field("owner", "ref"),
        Field("tier", "choice", choices=Tier),
        Field("is_strategic", "bool", aliases=("strategic",)),
        Field("revenue_potential", "decimal", non_negative=True),
    ],
    "contacts": [
        Field("account", "ref", required=True),
        Field("first_name", required=True),
        Field("last_name", required=True),
        Field("job_title"),
        Field("email"),
        Field("phone"),
        Field("hierarchy_level", "choice", required=True, choices=HierarchyLevel),
        Field("buying_role", "choice", required=True, choices=BuyingRole),
        Field("relationship_strength", "int"),
        Field("is_active", "bool", aliases=("active",)),
    ],
    "deals": [
        Field("external_ref"),
        Field("name", required=True),
        Field("account", "ref"),
        Field("owner", "ref"),
        Field("product", "ref", aliases=("product_code",)),
        Field("value", "decimal", non_negative=True),
        Field("stage", "ref"),
        Field("channel", "ref"),
        Field("deal_type", "choice", choices=DealType),
        Field("created_on", "date"),
        Field("engaged_on", "date"),
        Field("expected_close_on", "date"),
        Field("closed_on", "date"),
        Field("lost_reason"),
    ],
}
MODELS = {"accounts": Account, "contacts": Contact, "deals": Deal}
CHUNK = 500  # keys per IN (…) list


def parse_mapping(pairs: list[str], mapping_file: str | None = None) -> dict[str, str]:
    """`field=Column` pairs and/or a JSON file {field: column} -> {field: column}."""
    mapping: dict[str, str] = {}
    if mapping_file:
        with open(mapping_file, encoding="utf-8") as handle:
            loaded = json.load(handle)
        if not isinstance(loaded, dict):
            raise ValueError("The mapping file must hold a JSON object {field: column}.")
        mapping.update({str(k): str(v) for k, v in loaded.items()})
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise ValueError(f"--map expects field=Column, not {pair!r}.")
        mapping[field.strip()] = column.strip()
    return mapping


def choice_value(choices, text: str) -> str | None:
    """A choice by its code, its English or its German label."""
    key = text.strip().casefold()
    for value, label in choices.choices:
        if key == value.casefold():
            return value
        for language in ("en", "de"):
            with translation.override(language):
                if key == str(label).casefold():
                    return value
    return None


class References:
    """Everything rows refer to, loaded once per import."""

    def __init__(self):
        self.products = ProductLookup()
        self.users = {u.username.casefold(): u for u in User.objects.filter(is_active=True)}
        self.sectors: dict[str, Sector] = {}
        for sector in Sector.objects.all():
            for key in (sector.code, sector.name, sector.name_de):
                if key:
                    self.sectors.setdefault(key.casefold(), sector)
        self.stages: dict[str, Stage] = {}
        for stage in Stage.objects.all():
            for key in (stage.code, stage.name, stage.name_de):
                if key:
                    self.stages.setdefault(key.casefold(), stage)
        self.channels: dict[str, Channel] = {}
        for channel in Channel.objects.all():
            for key in (channel.code, channel.name, channel.name_de):
                if key:
                    self.channels.setdefault(key.casefold(), channel)

    def load_accounts(self, texts: set[str]) -> None:
        """The accounts a file names (by external_ref or exact name), read in a few queries."""
        self.by_ref: dict[str, Account] = {}
        self.by_name: dict[str, list[Account]] = {}
        texts = sorted(t for t in texts if t)
        for start in range(0, len(texts), CHUNK):
            chunk = texts[start : start + CHUNK]
            for account in Account.objects.filter(Q(external_ref__in=chunk) | Q(name__in=chunk)):
                if account.external_ref:
                    self.by_ref[account.external_ref] = account
                self.by_name.setdefault(account.name, []).append(account)

    def account(self, text: str) -> tuple[Account | None, str | None]:
        """By external_ref, else by exact name; (None, problem) when not exactly one."""
        found = self.by_ref.get(text)
        if found:
            return found, None
        named = self.by_name.get(text, [])
        if len(named) == 1:
            return named[0], None
        if named:
            return None, gettext_noop(
                "more than one account is named “{value}”; use its external_ref."
            )
        return None, gettext_noop("no account has the external_ref or name “{value}”.")


class TableImport:
    def __init__(self, entity: str, table: Table, mapping: dict[str, str], acting_user, owner):
        self.entity = entity
        self.table = table
        self.mapping = mapping
        self.acting_user = acting_user
        self.owner = owner or acting_user
        self.fields = FIELDS[entity]
        self.planned: list[tuple[int, Model | None, dict, dict, dict]] = []

    def columns(self, report: ImportReport) -> dict[str, int]:
        index = self.table.column_index()
        found = ", ".join(self.table.headers)
        known = {f.name for f in self.fields}
        for field in self.mapping:
            if field not in known:
                raise report.fail(
                    gettext_noop("There is no field “{field}” for {entity}; fields: {fields}."),
                    field=field,
                    entity=self.entity,
                    fields=", ".join(sorted(known)),
                )
        columns: dict[str, int] = {}
        for field in self.fields:
            if field.name in self.mapping:
                column = self.mapping[field.name]
                if column.strip().casefold() not in index:
                    report.reject(
                        None,
                        gettext_noop(
                            "The column “{column}” (for {field}) is not in the file; columns "
                            "found: {found}."
                        ),
                        column=column,
                        field=field.name,
                        found=found,
                    )
                    continue
                columns[field.name] = index[column.strip().casefold()]
                continue
            for name in (field.name, *field.aliases):
                if name.casefold() in index:
                    columns[field.name] = index[name.casefold()]
                    break
            else:
                if field.required:
                    report.reject(
                        None,
                        gettext_noop(
                            "The required column “{field}” is missing; columns found: {found}. "
                            "Map another column with --map {field}=Column."
                        ),
                        field=field.name,
                        found=found,
                    )
        if report.error_count:
            raise report.fail(gettext_noop("The columns do not fit; no row was read."))
        used = set(columns.values())
        unused = [h for i, h in enumerate(self.table.headers) if i not in used and h.strip()]
        if unused:
            report.note(
                gettext_noop(
                    "Columns not imported (no field of that name; map one with "
                    "--map field=Column): {columns}."
                ),
                columns=", ".join(unused),
            )
        return columns

    def parse_row(self, line: int, cells: list, columns: dict, report, refs) -> dict | None:
        values: dict[str, Any] = {}
        ok = True

        def bad(template, **params):
            nonlocal ok
            ok = False
            report.reject(line, template, **params)

        for field in self.fields:
            if field.name not in columns:
                continue
            i = columns[field.name]
            raw = cells[i] if i < len(cells) else None
            column = self.table.headers[i]
            try:
                text = text_cell(raw, column)
                if field.kind == "int":
                    value = parse_int(raw, column)
                elif field.kind == "decimal":
                    value = parse_decimal(raw, column)
                elif field.kind == "date":
                    value = parse_date(raw, column)
                elif field.kind == "bool":
                    value = parse_bool(raw, column)
                else:
                    value = text
            except CellError as error:
                bad(error.template, **error.params)
                continue
            if field.required and (value is None or value == ""):
                bad(gettext_noop("{column} is empty but required."), column=column)
                continue
            if value is None or value == "":
                continue
            if field.non_negative and value < 0:
                bad(
                    gettext_noop("{column} is {value}, but it cannot be negative."),
                    column=column,
                    value=str(value),
                )
                continue
            if field.kind == "choice":
                chosen = choice_value(field.choices, text)
                if chosen is None:
                    bad(
                        gettext_noop("“{value}” in {column} is not one of: {choices}."),
                        value=text,
                        column=column,
                        choices=", ".join(field.choices.values),
                    )
                    continue
                value = chosen
            if field.kind == "ref":
                value = self.resolve(field.name, text, column, refs, bad)
                if value is None:
                    continue
            values[field.name] = value
        return values if ok else None

    def resolve(self, name, text, column, refs: References, bad):
        if name in {"account", "parent"}:
            if name == "parent" and text in self.file_accounts:
                return ("pending", text)
            account, problem = refs.account(text)
            if problem:
                bad(problem, value=text)
            return account
        if name == "owner":
            user = refs.users.get(text.casefold())
            if user is None:
                bad(
                    gettext_noop("no active user is called “{value}” ({column})."),
                    value=text,
                    column=column,
                )
            return user
        if name == "product":
            product = refs.products.find(text)
            if product is None:
                bad(
                    gettext_noop(
                        "unknown product “{value}”: no product has this code, name or alias."
                    ),
                    value=text,
                )
            return product
        table = {"sector": refs.sectors, "stage": refs.stages, "channel": refs.channels}[name]
        found = table.get(text.casefold())
        if found is None:
            bad(gettext_noop("unknown {column} “{value}”."), column=column, value=text)
        return found

    def load_existing(self, rows: list[dict]) -> None:
        """The records the file's rows may update, read in a few queries (upsert keys in the
        module's docstring)."""
        self.current: dict[tuple, Model] = {}
        if self.entity == "contacts":
            accounts = sorted({values["account"].pk for values in rows})
            for start in range(0, len(accounts), CHUNK):
                chunk = accounts[start : start + CHUNK]
                for contact in Contact.objects.filter(account_id__in=chunk).order_by("pk"):
                    for key in self.contact_keys(contact):
                        self.current.setdefault(key, contact)
            return
        model = MODELS[self.entity]
        queryset = model.objects.all()
        if self.entity == "deals":
            queryset = queryset.select_related("stage")
        refs = sorted({v["external_ref"] for v in rows if v.get("external_ref")})
        names = sorted({v["name"] for v in rows if not v.get("external_ref")})
        for field, keys in (("external_ref", refs), ("name", names)):
            for start in range(0, len(keys), CHUNK):
                for record in queryset.filter(**{f"{field}__in": keys[start : start + CHUNK]}):
                    if field == "external_ref":
                        self.current[("ref", record.external_ref)] = record
                    elif self.entity == "accounts":
                        self.current.setdefault(("name", record.name), []).append(record)
                    else:
                        self.current.setdefault(("name", record.name, record.account_id), record)

    @staticmethod
    def contact_keys(contact: Contact) -> list[tuple]:
        keys = [(contact.account_id, "name", contact.first_name, contact.last_name)]
        if contact.email:
            keys.insert(0, (contact.account_id, "email", contact.email.casefold()))
        return keys

    def existing(self, values: dict) -> Model | None:
        if self.entity == "contacts":
            account = values["account"].pk
            if values.get("email"):
                return self.current.get((account, "email", values["email"].casefold()))
            return self.current.get((account, "name", values["first_name"], values["last_name"]))
        if values.get("external_ref"):
            return self.current.get(("ref", values["external_ref"]))
        if self.entity == "accounts":
            named = self.current.get(("name", values["name"]), [])
            return named[0] if len(named) == 1 else None
        account = values.get("account")
        return self.current.get(("name", values["name"], account.pk if account else None))

    def key(self, values: dict) -> tuple:
        if self.entity == "contacts":
            return (
                values["account"].pk,
                (values.get("email") or "").casefold()
                or (values["first_name"], values["last_name"]),
            )
        return (values.get("external_ref") or values["name"],)

    def validate(self, report: ImportReport) -> None:
        refs = References()
        columns = self.columns(report)
        self.file_accounts: set[str] = set()
        named: set[str] = set()
        for _line, cells in self.table.rows:
            for field in ("external_ref", "name", "account", "parent"):
                if field in columns and columns[field] < len(cells):
                    text = text_cell(cells[columns[field]])
                    if forbidden_character(text, multiline=True):
                        continue  # not a name to look up: parse_row rejects its line
                    if field in {"account", "parent"}:
                        named.add(text)
                    elif self.entity == "accounts":
                        self.file_accounts.add(text)
        self.file_accounts.discard("")
        refs.load_accounts(named)
        seen: dict[tuple, int] = {}
        parsed: list[tuple[int, dict, dict]] = []
        for line, cells in self.table.rows:
            values = self.parse_row(line, cells, columns, report, refs)
            if values is None:
                continue
            engaged, closed = values.get("engaged_on"), values.get("closed_on")
            if engaged and closed and closed < engaged:
                report.reject(
                    line,
                    gettext_noop(
                        "the deal closes on {closed}, before it was engaged on {engaged}."
                    ),
                    closed=closed.isoformat(),
                    engaged=engaged.isoformat(),
                )
                continue
            key = self.key(values)
            if key in seen:
                report.reject(
                    line,
                    gettext_noop("the same record is already on line {first}."),
                    first=seen[key],
                )
                continue
            seen[key] = line
            pending = {}
            if isinstance(values.get("parent"), tuple):
                pending["parent"] = values.pop("parent")[1]
            parsed.append((line, values, pending))
        self.load_existing([values for _line, values, _pending in parsed])
        opening_stage = None
        for line, values, pending in parsed:
            current = self.existing(values)
            if current is not None:
                changes = {k: v for k, v in values.items() if _differs(current, k, v)}
            else:
                # defaults only for new records: an existing record keeps its owner and stage
                if self.entity in {"accounts", "deals"}:
                    values.setdefault("owner", self.owner)
                if self.entity == "deals" and "stage" not in values:
                    opening_stage = opening_stage or first_open_stage()
                    values["stage"] = opening_stage
                changes = dict(values)
            self.planned.append((line, current, changes, pending, values))

    def write(self, report: ImportReport) -> None:
        """Every planned row through its domain's bulk upsert: the rules and audit rows of
        the single-row services, a few statements for the whole file. A row the domain
        refuses is named in the report (the file is then rejected whole)."""
        try:
            writes = getattr(self, f"write_{self.entity}")()
        except RowsRejected as error:
            for line, problem in error.problems:
                report.reject(line, gettext_noop("{problem}"), problem=problem)
            return
        if not report.error_count:
            for write in writes:
                report.outcome(self.entity, created=write.created, changed=write.changed)

    def write_accounts(self) -> list[AccountWrite]:
        writes: dict[str, AccountWrite] = {}
        planned = []
        for line, current, changes, pending, _values in self.planned:
            write = AccountWrite(changes, account=current, line=line)
            planned.append((write, current, pending))
            name = changes.get("name") or current.name
            ref = changes.get("external_ref") or (current.external_ref if current else None)
            for key in (name, ref):
                if key:
                    writes.setdefault(key, write)
        for write, _current, pending in planned:
            if "parent" in pending:
                ref = pending["parent"]
                parent = (
                    writes.get(ref)
                    or Account.objects.filter(Q(external_ref=ref) | Q(name=ref)).first()
                )
                write.fields["parent"] = parent
        return self.upsert(upsert_accounts, [w for w, _c, _p in planned])

    def write_contacts(self) -> list[ContactWrite]:
        writes = [
            ContactWrite(changes, contact=current, line=line)
            for line, current, changes, _pending, _values in self.planned
        ]
        return self.upsert(upsert_contacts, writes)

    def write_deals(self) -> list[DealWrite]:
        now = timezone.now()
        zone = timezone.get_current_timezone()
        writes = []
        for line, current, changes, _pending, values in self.planned:
            at = None
            if current is not None and "stage" in changes:
                at = reported_move_at(changes["stage"], values.get("closed_on"), now, zone)
            writes.append(DealWrite(changes, deal=current, at=at, line=line))
        return self.upsert(upsert_deals, writes)

    def upsert(self, upsert, writes: list) -> list:
        upsert(writes, acting_user=self.acting_user)
        return writes


def _differs(obj: Model, field: str, new: Any) -> bool:
    if isinstance(new, Model):
        return getattr(obj, f"{field}_id") != new.pk
    return getattr(obj, field) != new


def import_table(
    entity: str,
    path: Path | str,
    *,
    acting_user: User,
    mapping: dict[str, str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
    sheet: str | None = None,
    owner: User | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import accounts, contacts or deals from a CSV or Excel file, all or nothing."""
    if entity not in FIELDS:
        raise ValueError(f"Unknown entity {entity!r}; choose one of {', '.join(FIELDS)}.")
    path = Path(path)

    def work(report: ImportReport) -> None:
        table = read_table(path, report, delimiter=delimiter, encoding=encoding, sheet=sheet)
        importer = TableImport(entity, table, mapping or {}, acting_user, owner)
        importer.validate(report)
        report.stats["rows"] = len(table.rows)
        # the domains' rules name their bad rows too; nothing stays written if any row is bad
        importer.write(report)
        report.check()

    sha = file_sha256([path]) if path.exists() else ""
    return run_import(entity, str(path), sha, work, acting_user=acting_user, dry_run=dry_run)
