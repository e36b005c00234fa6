"""Turn the ids and codes of a request body into rows, through the visibility functions.

A reference to a row the caller cannot see is answered like one to a row that does not exist:
422 on that field, so the API never tells whether an invisible row exists.
"""

from tandem.accounts.models import Account, Contact, Sector
from tandem.accounts.selectors import visible_accounts, visible_contacts
from tandem.api.errors import unknown_reference
from tandem.catalog.models import Product
from tandem.catalog.selectors import visible_products
from tandem.pipeline.models import Channel, Deal, Stage
from tandem.pipeline.selectors import visible_deals
from tandem.users.models import User
from tandem.users.selectors import assignable_owners


def account(user: User, pk: int | None, field: str = "account") -> Account | None:
    if pk is None:
        return None
    found = visible_accounts(user).filter(pk=pk).first()
    if found is None:
        raise unknown_reference(field, "account")
    return found


def assignable_user(user: User, pk: int | None, field: str = "owner") -> User | None:
    """An active user whom `user` may make the owner of a row."""
    if pk is None:
        return None
    found = assignable_owners(user).filter(pk=pk).first()
    if found is None:
        raise unknown_reference(field, "user")
    return found


def deal(user: User, pk: int | None, field: str = "deal") -> Deal | None:
    if pk is None:
        return None
    found = visible_deals(user).filter(pk=pk).first()
    if found is None:
        raise unknown_reference(field, "deal")
    return found


def contacts(user: User, pks: list[int] | None, field: str = "contacts") -> list[Contact] | None:
    if pks is None:
        return None
    wanted = set(pks)
    found = list(visible_contacts(user).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise unknown_reference(field, "contact")
    return found


def product(user: User, pk: int | None, field: str = "product") -> Product | None:
    if pk is None:
        return None
    found = visible_products(user).filter(pk=pk).first()
    if found is None:
        raise unknown_reference(field, "product")
    return found


def stage(code: str | None, field: str = "stage") -> Stage | None:
    if code is None:
        return None
    found = Stage.objects.filter(code=code).first()
    if found is None:
        raise unknown_reference(field, "stage")
    return found


def channel(code: str | None, field: str = "channel") -> Channel | None:
    if code is None:
        return None
    found = Channel.objects.filter(code=code).first()
    if found is None:
        raise unknown_reference(field, "channel")
    return found


def sector(code: str | None, field: str = "sector") -> Sector | None:
    if code is None:
        return None
    found = Sector.objects.filter(code=code).first()
    if found is None:
        raise unknown_reference(field, "sector")
    return found
