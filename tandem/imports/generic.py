"""Generic import of accounts, contacts and deals from CSV or Excel, with a column mapping.

A column is found by the mapping (`--map field=Column`, `--mapping file.json`) or, without
one, by a header equal to the field name (the export's headers work, so an export can be
edited and imported again). Every row is parsed, its references resolved (accounts by
external_ref or exact name, products by code, name or alias, owners by username) and validated
with the model's full_clean; any bad row rejects the file. Rows are then written through the
services (create_*/update_*), which keep the audit trail.

Upsert keys (so re-importing the same file changes nothing):
accounts: external_ref, else the exact name; contacts: account + e-mail, else account + first
and last name; deals: external_ref, else name + account.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Q
from django.utils import translation
from django.utils.translation import gettext_noop

from tandem.accounts.models import Account, BuyingRole, Contact, HierarchyLevel, Sector, Tier
from tandem.accounts.services import create_account, create_contact, update_account, update_contact
from tandem.catalog.services import ProductLookup
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
from tandem.pipeline.models import Channel, Deal, DealType, Stage, StageOutcome
from tandem.pipeline.services import create_deal, move_deal_to_stage, update_deal
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

    def account(self, text: str) -> tuple[Account | None, str | None]:
        """By external_ref, else by exact name; (None, problem) when not exactly one."""
        found = Account.objects.filter(external_ref=text).first()
        if found:
            return found, None
        named = list(Account.objects.filter(name=text)[:2])
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
        self.planned: list[tuple[int, Model | None, dict, dict]] = []

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
            text = text_cell(raw)
            try:
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

    def existing(self, values: dict) -> Model | None:
        if self.entity == "accounts":
            if values.get("external_ref"):
                return Account.objects.filter(external_ref=values["external_ref"]).first()
            named = list(Account.objects.filter(name=values["name"])[:2])
            return named[0] if len(named) == 1 else None
        if self.entity == "contacts":
            contacts = Contact.objects.filter(account=values["account"])
            if values.get("email"):
                return contacts.filter(email__iexact=values["email"]).first()
            return contacts.filter(
                first_name=values["first_name"], last_name=values["last_name"]
            ).first()
        if values.get("external_ref"):
            return Deal.objects.filter(external_ref=values["external_ref"]).first()
        return Deal.objects.filter(
            Q(account=values.get("account")) if values.get("account") else Q(account=None),
            name=values["name"],
        ).first()

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
        if self.entity == "accounts":
            for _line, cells in self.table.rows:
                for field in ("external_ref", "name"):
                    if field in columns and columns[field] < len(cells):
                        self.file_accounts.add(text_cell(cells[columns[field]]))
            self.file_accounts.discard("")
        seen: dict[tuple, int] = {}
        model = MODELS[self.entity]
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
            current = self.existing(values)
            if current is not None:
                instance = model.objects.get(pk=current.pk)
                changes = {k: v for k, v in values.items() if _differs(instance, k, v)}
            else:
                # defaults only for new records: an existing record keeps its owner and stage
                if self.entity in {"accounts", "deals"}:
                    values.setdefault("owner", self.owner)
                if self.entity == "deals" and "stage" not in values:
                    values["stage"] = (
                        Stage.objects.filter(outcome=StageOutcome.OPEN).order_by("position").first()
                    )
                instance = model()
                changes = dict(values)
            for key_, value in changes.items():
                setattr(instance, key_, value)
            try:
                instance.full_clean(exclude=list(pending))
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for text in messages:
                        label = field if field != "__all__" else ""
                        report.reject(
                            line, gettext_noop("{field} {problem}"), field=label, problem=text
                        )
                continue
            self.planned.append((line, current, changes, pending))

    def write(self, report: ImportReport) -> None:
        created_by_name: dict[str, Account] = {}
        what = self.entity
        for _line, current, changes, pending in self.planned:
            if "parent" in pending:
                ref = pending["parent"]
                parent = (
                    created_by_name.get(ref)
                    or Account.objects.filter(Q(external_ref=ref) | Q(name=ref)).first()
                )
                if current is None or current.parent_id != getattr(parent, "pk", None):
                    changes["parent"] = parent
            if current is None:
                obj = self.create(changes)
                report.outcome(what, created=True, changed=True)
            else:
                obj = self.update(current, changes) if changes else current
                report.outcome(what, created=False, changed=bool(changes))
            if self.entity == "accounts":
                created_by_name[obj.name] = obj
                if obj.external_ref:
                    created_by_name[obj.external_ref] = obj

    def create(self, values: dict) -> Model:
        user = self.acting_user
        if self.entity == "accounts":
            return create_account(acting_user=user, **values)
        if self.entity == "contacts":
            return create_contact(acting_user=user, **values)
        return create_deal(acting_user=user, **values)

    def update(self, current: Model, changes: dict) -> Model:
        user = self.acting_user
        if self.entity == "accounts":
            return update_account(current, acting_user=user, **changes)
        if self.entity == "contacts":
            return update_contact(current, acting_user=user, **changes)
        stage = changes.pop("stage", None)
        closed_on = changes.get("closed_on")
        deal = update_deal(current, acting_user=user, **changes) if changes else current
        if stage is not None:
            deal = move_deal_to_stage(deal, stage, acting_user=user)
            if closed_on is not None and deal.closed_on != closed_on:
                deal = update_deal(deal, acting_user=user, closed_on=closed_on)
        return deal


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
        report.check()
        importer.write(report)

    sha = file_sha256([path]) if path.exists() else ""
    return run_import(entity, str(path), sha, work, acting_user=acting_user, dry_run=dry_run)
