"""Every write to activities. Each says which owners and accounts it touched
(tandem.core.touched): an activity counts for its owner, for its deal's last touch (the
deal's owner) and for its account's stakeholder coverage (its contacts work there)."""

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.activities.models import Activity
from tandem.audit.services import record
from tandem.core.errors import DomainError
from tandem.core.services import apply_changes, validate_new
from tandem.core.touched import touched
from tandem.users.models import User


def _check_links(activity: Activity, contacts) -> None:
    if activity.deal and activity.deal.account_id not in (None, activity.account_id):
        raise DomainError(_("The deal belongs to another account."), field="deal")
    if any(contact.account_id != activity.account_id for contact in contacts):
        raise DomainError(_("Every contact must work at the activity's account."), field="contacts")


def _reach(activity: Activity) -> tuple[set[int | None], set[int | None]]:
    """The owners and accounts whose derived numbers the activity counts in."""
    owners: set[int | None] = {activity.owner_id}
    accounts: set[int | None] = {activity.account_id}
    if activity.deal is not None:
        owners.add(activity.deal.owner_id)
        accounts.add(activity.deal.account_id)
    return owners, accounts


def _touched(*activities: Activity) -> None:
    owners: set = set()
    accounts: set = set()
    for activity in activities:
        more_owners, more_accounts = _reach(activity)
        owners |= more_owners
        accounts |= more_accounts
    touched("activities", owners=owners, accounts=accounts)


@transaction.atomic
def create_activity(*, acting_user: User, contacts=(), **fields) -> Activity:
    fields.setdefault("owner", acting_user)
    activity = validate_new(Activity(**fields))
    _check_links(activity, contacts)
    activity.save()
    activity.contacts.set(contacts)
    _touched(activity)
    return activity


@transaction.atomic
def update_activity(activity: Activity, *, acting_user: User, contacts=None, **changes) -> Activity:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    before = Activity.objects.select_related("deal").get(pk=activity.pk)
    apply_changes(activity, changes)
    _check_links(activity, contacts if contacts is not None else activity.contacts.all())
    activity.save()
    if contacts is not None:
        activity.contacts.set(contacts)
    _touched(before, activity)
    return activity


@transaction.atomic
def delete_activity(activity: Activity, *, acting_user: User) -> None:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _touched(activity)
    record(
        activity,
        "activity.deleted",
        acting_user=acting_user,
        changes={"account": activity.account_id},
    )
    activity.delete()
