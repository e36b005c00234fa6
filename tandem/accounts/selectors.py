"""Reads of accounts, contacts and contracts, scoped to what a user may see.

A rep sees the accounts they own or have deals on; a Sales Manager those of their team;
a KAM the accounts they own and every subsidiary under them; Head of Sales and admins all.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from tandem.accounts.models import Account, Contact, Contract
from tandem.users.models import Role, User
from tandem.users.selectors import managed_user_ids


def with_subsidiaries(account_ids: set[int]) -> set[int]:
    """The given accounts and every account below them in the parent/subsidiary tree."""
    found = set(account_ids)
    frontier = set(account_ids)
    while frontier:
        frontier = set(
            Account.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found |= frontier
    return found


def visible_accounts_condition(user: User) -> Q | None:
    """The filter on Account for what `user` may see, or None for "all of them".

    Kept in the database as subqueries: a manager of thousands of accounts costs one query,
    not a parameter list (SQLite caps those, PostgreSQL plans them badly).
    """
    if user.sees_everything:
        return None
    # The deals point at accounts: read through that relation, since pipeline builds on accounts.
    deal_model = Account._meta.get_field("deals").related_model
    people = managed_user_ids(user)
    if user.role == Role.KEY_ACCOUNT_MANAGER:
        # a KAM holds a few key accounts; their subsidiaries come from walking the tree
        owned = Q(
            pk__in=with_subsidiaries(
                set(Account.objects.filter(owner_id__in=people).values_list("pk", flat=True))
            )
        )
    else:
        owned = Q(owner_id__in=people)
    deals = deal_model._default_manager.filter(owner_id__in=people)
    return owned | Q(pk__in=deals.values("account_id"))


def visible_account_ids_query(user: User) -> QuerySet | None:
    """A subquery of the visible accounts' ids, to filter other tables by; None for all."""
    condition = visible_accounts_condition(user)
    return None if condition is None else Account.objects.filter(condition).values("pk")


def visible_account_ids(user: User) -> set[int] | None:
    """The ids of the accounts `user` may see, or None for "all of them"."""
    ids = visible_account_ids_query(user)
    return None if ids is None else set(ids.values_list("pk", flat=True))


def visible_accounts(user: User) -> QuerySet[Account]:
    condition = visible_accounts_condition(user)
    return Account.objects.all() if condition is None else Account.objects.filter(condition)


def search_accounts(accounts: QuerySet[Account], text: str) -> QuerySet[Account]:
    """Accounts whose name, city or country contains `text` (the web list and the API)."""
    text = text.strip()
    if not text:
        return accounts
    return accounts.filter(
        Q(name__icontains=text) | Q(city__icontains=text) | Q(country__icontains=text)
    )


def search_contacts(contacts: QuerySet[Contact], text: str) -> QuerySet[Contact]:
    """Contacts whose name, e-mail, job title or account name contains `text`."""
    text = text.strip()
    if not text:
        return contacts
    return contacts.filter(
        Q(first_name__icontains=text)
        | Q(last_name__icontains=text)
        | Q(email__icontains=text)
        | Q(job_title__icontains=text)
        | Q(account__name__icontains=text)
    )


def get_account_for(user: User, pk: int) -> Account:
    return get_object_or_404(visible_accounts(user), pk=pk)


def visible_contacts(user: User) -> QuerySet[Contact]:
    ids = visible_account_ids_query(user)
    if ids is None:
        return Contact.objects.all()
    return Contact.objects.filter(account_id__in=ids)


def get_contact_for(user: User, pk: int) -> Contact:
    return get_object_or_404(visible_contacts(user), pk=pk)


def visible_contracts(user: User) -> QuerySet[Contract]:
    ids = visible_account_ids_query(user)
    if ids is None:
        return Contract.objects.all()
    return Contract.objects.filter(account_id__in=ids)


def account_filter(user: User, field: str = "account_id") -> Q:
    """A filter on `field` for rows that belong to visible accounts (Q() when all are)."""
    ids = visible_account_ids_query(user)
    return Q() if ids is None else Q(**{f"{field}__in": ids})
