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


def search_activities(activities: QuerySet[Activity], text: str) -> QuerySet[Activity]:
    """Activities whose subject or notes contain `text` (the web list and the API)."""
    text = text.strip()
    if not text:
        return activities
    return activities.filter(Q(subject__icontains=text) | Q(notes__icontains=text))


def get_activity_for(user: User, pk: int) -> Activity:
    return get_object_or_404(visible_activities(user), pk=pk)
