from django.db.models import QuerySet

from tandem.accounts.selectors import account_filter
from tandem.revenue.models import RevenueLine
from tandem.users.models import User


def visible_revenue_lines(user: User) -> QuerySet[RevenueLine]:
    return RevenueLine.objects.filter(account_filter(user))
