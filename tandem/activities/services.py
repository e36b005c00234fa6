from django.db import transaction
from django.utils.translation import gettext as _

from tandem.activities.models import Activity
from tandem.audit.services import record
from tandem.core.errors import DomainError
from tandem.core.services import apply_changes, validate_new
from tandem.users.models import User


def _check_links(activity: Activity, contacts) -> None:
    if activity.deal and activity.deal.account_id not in (None, activity.account_id):
        raise DomainError(_("The deal belongs to another account."), field="deal")
    if any(contact.account_id != activity.account_id for contact in contacts):
        raise DomainError(_("Every contact must work at the activity's account."), field="contacts")


@transaction.atomic
def create_activity(*, acting_user: User, contacts=(), **fields) -> Activity:
    fields.setdefault("owner", acting_user)
    activity = validate_new(Activity(**fields))
    _check_links(activity, contacts)
    activity.save()
    activity.contacts.set(contacts)
    return activity


@transaction.atomic
def update_activity(activity: Activity, *, acting_user: User, contacts=None, **changes) -> Activity:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    apply_changes(activity, changes)
    _check_links(activity, contacts if contacts is not None else activity.contacts.all())
    activity.save()
    if contacts is not None:
        activity.contacts.set(contacts)
    return activity


@transaction.atomic
def delete_activity(activity: Activity, *, acting_user: User) -> None:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    record(
        activity,
        "activity.deleted",
        acting_user=acting_user,
        changes={"account": activity.account_id},
    )
    activity.delete()
