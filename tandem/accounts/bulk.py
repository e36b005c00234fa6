"""Writing many accounts and contacts at once, with the rules of one (`rules.py`).

Each function takes one write per row: a new record (`fields`) or the fields a row sets on an
existing one. Every row is checked first; a bad row raises `RowsRejected` naming each bad row
and nothing is written. Then the rows and their audit rows are written in a few statements.
The keepers of figures derived from accounts (the KAM figures) hear which accounts were written
(tandem.core.touched), in the writing transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from tandem.accounts import rules
from tandem.accounts.models import Account, Contact, Contract
from tandem.audit.services import record_many
from tandem.core.bulk import BackgroundWriter, TableWriter, counting_saves
from tandem.core.errors import DomainError, RowsRejected, problems_of
from tandem.core.services import set_changes
from tandem.core.touched import touched
from tandem.users.models import User

BATCH_SIZE = 2000
ACCOUNT_KEYS = ["owner", "parent", "sector"]
_NO_PARENT = object()


@dataclass
class AccountWrite:
    """One row: a new account (`account` None) or the fields a row sets on `account`.

    `fields["parent"]` may be another AccountWrite of the same call (a parent new in the file).
    """

    fields: dict
    account: Account | None = None
    line: int | None = None
    instance: Account | None = field(default=None, init=False)
    created: bool = field(default=False, init=False)
    changed: bool = field(default=False, init=False)


@dataclass
class ContactWrite:
    fields: dict
    contact: Contact | None = None
    line: int | None = None
    created: bool = field(default=False, init=False)
    changed: bool = field(default=False, init=False)


def _check(instance, exclude: list[str]) -> None:
    instance.clean_fields(exclude=exclude)
    instance.clean()


def upsert_accounts(
    writes: list[AccountWrite], *, acting_user: User | None, imported_from: str | None = None
) -> list[Account]:
    """Create and update accounts as create_account / update_account would, in bulk; returns
    the accounts in the order of `writes`."""
    problems: list[tuple[int | None, str]] = []
    new: list[Account] = []
    changed: dict[int, Account] = {}
    changed_fields: set[str] = set()
    # per write: its field diff and its ownership change (audit rows, written in that order)
    trail: list[tuple[AccountWrite, Account, dict, rules.Audit | None]] = []
    parents: list[tuple[AccountWrite, Account, dict, object]] = []
    for write in writes:
        fields = dict(write.fields)
        parent = fields.pop("parent", _NO_PARENT)
        owner_change = None
        try:
            if write.account is None:
                fields.setdefault("owner", acting_user)
                account = Account(**fields)
                _check(account, ACCOUNT_KEYS)
                write.created = True
                new.append(account)
                diff: dict = {}
            else:
                account = write.account
                owner = fields.pop("owner", None)
                diff = set_changes(account, fields)
                if diff:  # an unchanged account is as valid as when it was stored
                    _check(account, ACCOUNT_KEYS)
                if owner is not None and owner.pk != account.owner_id:
                    owner_change = rules.change_owner(account, owner)
                    changed_fields.add("owner")
                    changed[id(account)] = account
                if diff:
                    changed_fields.update(diff)
                    changed[id(account)] = account
        except (DomainError, ValidationError) as error:
            problems.extend((write.line, text) for text in problems_of(error))
            continue
        write.instance = account
        trail.append((write, account, diff, owner_change))
        if parent is not _NO_PARENT:
            parents.append((write, account, diff, parent))
    if problems:
        raise RowsRejected(problems)

    Account.objects.bulk_create(new, batch_size=BATCH_SIZE)
    _read_back_ids(new)
    # parents last: a parent may be new in the same call
    for write, account, diff, parent in parents:
        if isinstance(parent, AccountWrite):
            parent = parent.instance
        parent_id = parent.pk if parent is not None else None
        if account.parent_id == parent_id:
            continue
        if not write.created:
            diff["parent"] = [account.parent_id, parent_id]
        account.parent = parent
        changed[id(account)] = account
        changed_fields.add("parent")
    if changed:
        rows = list(changed.values())
        Account.objects.bulk_update(
            rows, counting_saves(rows, changed_fields), batch_size=BATCH_SIZE
        )
    entries = []
    for write, account, diff, owner_change in trail:
        if write.created:
            entries.append((account, *rules.created_audit(account, imported_from=imported_from)))
        if diff:
            entries.append((account, "account.updated", diff))
        if owner_change:
            entries.append((account, *owner_change))
        write.changed = write.created or id(account) in changed
    record_many(entries, acting_user=acting_user)
    touched("accounts", accounts=[account.pk for account in [*new, *changed.values()]])
    return [account for _write, account, _diff, _owner in trail]


def _read_back_ids(accounts: list[Account]) -> None:
    """Backends without RETURNING leave new rows without ids: read them by external_ref."""
    if not accounts or accounts[0].pk is not None:
        return
    refs = {a.external_ref: a for a in accounts}
    if None in refs:
        raise RuntimeError("accounts without an external_ref need a backend with RETURNING")
    for pk, ref in Account.objects.filter(external_ref__in=list(refs)).values_list(
        "pk", "external_ref"
    ):
        refs[ref].pk = pk


def upsert_contacts(writes: list[ContactWrite], *, acting_user: User | None) -> list[Contact]:
    """Create and update contacts as create_contact / update_contact would, in bulk."""
    problems: list[tuple[int | None, str]] = []
    new: list[Contact] = []
    changed: list[Contact] = []
    changed_fields: set[str] = set()
    entries: list[tuple[Contact, str, dict | None]] = []
    contacts: list[Contact] = []
    moved_from: set[int] = set()  # the accounts a changed contact left
    for write in writes:
        try:
            if write.contact is None:
                contact = Contact(**write.fields)
                _check(contact, ["account"])
                write.created = write.changed = True
                new.append(contact)
            else:
                contact = write.contact
                before = contact.account_id
                diff = set_changes(contact, write.fields)
                if diff:
                    _check(contact, ["account"])
                if diff:
                    write.changed = True
                    changed.append(contact)
                    moved_from.add(before)
                    changed_fields.update(diff)
                    entries.append((contact, "contact.updated", diff))
        except ValidationError as error:
            problems.extend((write.line, text) for text in problems_of(error))
            continue
        contacts.append(contact)
    if problems:
        raise RowsRejected(problems)
    Contact.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if new and new[0].pk is None:
        raise RuntimeError("contacts are written in bulk only on backends with RETURNING")
    if changed:
        columns = counting_saves(changed, changed_fields)
        Contact.objects.bulk_update(changed, columns, batch_size=BATCH_SIZE)
    record_many(
        [*((contact, "contact.created", None) for contact in new), *entries],
        acting_user=acting_user,
    )
    touched("contacts", accounts=moved_from | {contact.account_id for contact in [*new, *changed]})
    return contacts


ACCOUNT_COLUMNS = [
    "id",
    "name",
    "external_ref",
    "parent",
    "sector",
    "employees",
    "annual_revenue",
    "year_established",
    "country",
    "city",
    "owner",
    "tier",
    "is_strategic",
    "revenue_potential",
    "created_at",
]
CONTACT_COLUMNS = [
    "id",
    "account",
    "first_name",
    "last_name",
    "job_title",
    "email",
    "phone",
    "hierarchy_level",
    "buying_role",
    "relationship_strength",
    "is_active",
    "created_at",
]
CONTRACT_COLUMNS = [
    "id",
    "account",
    "name",
    "start_on",
    "end_on",
    "annual_value",
    "notice_period_days",
    "renewal_terms",
    "status",
]


class AccountRows:
    """Accounts, contacts and contracts written as rows with ids of their own, for generated
    organisations (the demo): COPY/executemany batches (tandem.core.bulk), accounts first."""

    def __init__(self, sink: BackgroundWriter | None = None):
        self.accounts = TableWriter(Account, ACCOUNT_COLUMNS, sink=sink)
        self.contacts = TableWriter(Contact, CONTACT_COLUMNS, sink=sink)
        self.contracts = TableWriter(Contract, CONTRACT_COLUMNS, sink=sink)
        self.writers = [self.accounts, self.contacts, self.contracts]
