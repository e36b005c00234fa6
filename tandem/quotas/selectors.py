from django.db.models import Q, QuerySet

from tandem.quotas.models import Quota
from tandem.users.models import User
from tandem.users.selectors import managed_user_ids


def visible_quotas(user: User) -> QuerySet[Quota]:
    if user.sees_everything:
        return Quota.objects.all()
    return Quota.objects.filter(
        Q(user_id__in=managed_user_ids(user)) | Q(team__manager=user) | Q(team__members=user)
    ).distinct()
