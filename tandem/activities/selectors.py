from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from tandem.accounts.selectors import visible_account_ids_query
from tandem.activities.models import Activity
from tandem.users.models import User


def visible_activities(user: User) -> QuerySet[Activity]:
    """Activities on visible accounts, and every activity the user logged themself."""
    ids = visible_account_ids_query(user)
    if ids is None:
        return Activity.objects.all()
    return Activity.objects.filter(Q(account_id__in=ids) | Q(owner=user))


def get_activity_for(user: User, pk: int) -> Activity:
    return get_object_or_404(visible_activities(user), pk=pk)
