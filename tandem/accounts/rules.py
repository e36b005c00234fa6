"""The rules of accounts and contacts, as plain functions on objects in memory (no database):
which audit row records a creation, an edit or a new owner, and who may own an account. The
single-row services (`services.py`) and the bulk upserts (`bulk.py`) both apply them."""

from django.utils.translation import gettext as _

from tandem.accounts.models import Account
from tandem.core.errors import DomainError
from tandem.users.models import User

Audit = tuple[str, dict]  # (action, changes) of one audit row


def created_audit(account: Account, *, imported_from: str | None = None) -> Audit:
    if imported_from:
        return "account.imported", {"import": imported_from, "owner": account.owner_id}
    return "account.created", {"owner": account.owner_id}


def change_owner(account: Account, new_owner: User) -> Audit:
    """Give the account (in memory) to `new_owner`: never to an inactive user."""
    if not new_owner.is_active:
        raise DomainError(_("An inactive user cannot own an account."), field="owner")
    old_owner_id = account.owner_id
    account.owner = new_owner
    return "account.owner_changed", {"owner": [old_owner_id, new_owner.pk]}
