"""Every write to accounts, contacts and contracts, with its audit row. Each says which
accounts it touched (tandem.core.touched): the KAM figures above are kept from them."""

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from tandem.accounts import rules
from tandem.accounts.models import Account, Contact, Tier
from tandem.audit.services import record
from tandem.core.errors import DomainError
from tandem.core.services import apply_changes, check_version, validate_new
from tandem.core.touched import touched
from tandem.users.models import User


def _key_account_by_handover() -> DomainError:
    return DomainError(
        _("An account becomes a key account only when a Key Account Manager accepts its handover."),
        field="tier",
    )


def check_not_key_account_edit(account: Account, changes: dict) -> None:
    """Refuse an edit that changes the tier, or the owner of a key account. Key-account status
    moves ownership and pay (the KAM's portfolio), so only the handover services
    (tandem.keyaccounts) change it: proposed, reviewed, accepted, audited."""
    if changes.get("tier", account.tier) != account.tier:
        raise _key_account_by_handover()
    owner = changes.get("owner")
    if account.tier == Tier.KEY_ACCOUNT and owner is not None and owner.pk != account.owner_id:
        raise DomainError(
            _("A key account changes hands only by a handover to a Key Account Manager."),
            field="owner",
        )


@transaction.atomic
def create_account(*, acting_user: User, **fields) -> Account:
    fields.setdefault("owner", acting_user)
    if fields.get("tier", Tier.STANDARD) != Tier.STANDARD:
        raise _key_account_by_handover()
    account = validate_new(Account(**fields))
    account.save()
    touched("accounts", accounts=[account.pk])
    action, changes = rules.created_audit(account)
    record(account, action, acting_user=acting_user, changes=changes)
    return account


@transaction.atomic
def update_account(
    account: Account, *, acting_user: User, version: int | None = None, **changes
) -> Account:
    """Edit an account's fields; `version` is the one the editor read (StaleRecord if the
    account was saved since), a new owner goes through change_account_owner."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    check_version(account, version)
    check_not_key_account_edit(account, changes)
    new_owner = changes.pop("owner", None)
    diff = apply_changes(account, changes)
    if diff:
        account.save()
        touched("accounts", accounts=[account.pk])
        record(account, "account.updated", acting_user=acting_user, changes=diff)
    if new_owner is not None and new_owner.pk != account.owner_id:
        account = change_account_owner(account, new_owner, acting_user=acting_user)
    return account


@transaction.atomic
def change_account_owner(account: Account, new_owner: User, *, acting_user: User) -> Account:
    """Move an account to a new owner; the account never has zero or two owners."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.owner_id == new_owner.pk:
        return account
    action, changes = rules.change_owner(account, new_owner)
    account.save(update_fields=["owner"])
    touched("accounts", accounts=[account.pk])
    record(account, action, acting_user=acting_user, changes=changes)
    return account


@transaction.atomic
def create_contact(*, acting_user: User, **fields) -> Contact:
    contact = validate_new(Contact(**fields))
    contact.save()
    touched("contacts", accounts=[contact.account_id])
    record(contact, "contact.created", acting_user=acting_user)
    return contact


@transaction.atomic
def update_contact(
    contact: Contact, *, acting_user: User, version: int | None = None, **changes
) -> Contact:
    """Edit a contact; `version` as in update_account."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    check_version(contact, version)
    before = contact.account_id
    diff = apply_changes(contact, changes)
    if diff:
        contact.save()
        touched("contacts", accounts=[before, contact.account_id])
        record(contact, "contact.updated", acting_user=acting_user, changes=diff)
    return contact


@transaction.atomic
def delete_account(account: Account, *, acting_user: User) -> None:
    """Delete an account with its contacts, contracts and activities; never one that still has
    deals, subsidiaries, invoiced revenue or other records that must not disappear with it."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.revenue_lines.exists():
        raise DomainError(_("This account has invoiced revenue and cannot be deleted."))
    record(account, "account.deleted", acting_user=acting_user, changes={"owner": account.owner_id})
    touch_deleting([account.pk])
    try:
        account.delete()
    except ProtectedError as error:
        raise DomainError(
            _("This account still has deals or subsidiaries; move or delete them first.")
        ) from error


# what goes with a deleted account (revenue lines and deals keep it from being deleted)
DELETED_WITH_AN_ACCOUNT = ("accounts", "contacts", "contracts", "activities")


def touch_deleting(account_ids: list[int]) -> None:
    """Say what deleting these accounts touches: themselves, and through their activities
    (deleted with them) the activities' owners and the deals they touched."""
    owners: set = set()
    accounts: set = set(account_ids)
    # read through the relations: the activities and deals build on accounts
    rows = Account.objects.filter(pk__in=account_ids).values_list(
        "activities__owner_id", "activities__deal__owner_id", "activities__deal__account_id"
    )
    for owner, deal_owner, deal_account in rows.order_by().distinct():
        owners |= {owner, deal_owner}
        accounts.add(deal_account)
    touched(*DELETED_WITH_AN_ACCOUNT, owners=owners, accounts=accounts)


@transaction.atomic
def delete_contact(contact: Contact, *, acting_user: User) -> None:
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    record(
        contact, "contact.deleted", acting_user=acting_user, changes={"account": contact.account_id}
    )
    contact.delete()
    touched("contacts", accounts=[contact.account_id])


@transaction.atomic
def change_account_tier(account: Account, tier: str, *, acting_user: User | None) -> Account:
    """Make an account a key account or a standard one again, with its audit row."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.tier == tier:
        return account
    if tier not in Tier.values:
        raise DomainError(_("Unknown tier."), field="tier")
    old_tier = account.tier
    account.tier = tier
    account.save(update_fields=["tier"])
    touched("accounts", accounts=[account.pk])
    record(
        account,
        "account.tier_changed",
        acting_user=acting_user,
        changes={"tier": [old_tier, tier]},
    )
    return account
