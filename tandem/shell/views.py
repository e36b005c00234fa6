import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.selectors import visible_accounts
from tandem.activities.selectors import visible_activities
from tandem.pipeline.models import StageOutcome
from tandem.pipeline.selectors import visible_deals
from tandem.users.models import Role

SCOPE_LABELS = {
    Role.SALES_REP: _("Your accounts, deals and activities."),
    Role.SALES_MANAGER: _("Your team's accounts, deals and activities."),
    Role.KEY_ACCOUNT_MANAGER: _("Your key accounts, their subsidiaries and their deals."),
    Role.HEAD_OF_SALES: _("The whole sales organisation."),
    Role.ADMIN: _("The whole sales organisation."),
}


def start_of_week(now: datetime.datetime) -> datetime.datetime:
    """Monday 00:00 of the current week, in the user's time zone."""
    local = timezone.localtime(now)
    monday = local.date() - datetime.timedelta(days=local.weekday())
    return datetime.datetime.combine(monday, datetime.time.min, tzinfo=local.tzinfo)


@login_required
def home(request):
    user = request.user
    week_start = start_of_week(timezone.now())
    open_deals = (
        visible_deals(user)
        .filter(stage__outcome=StageOutcome.OPEN)
        .aggregate(count=Count("pk"), value=Sum("value"))
    )
    context = {
        "scope": SCOPE_LABELS.get(user.role, ""),
        "account_count": visible_accounts(user).count(),
        "open_deal_count": open_deals["count"],
        "open_pipeline_value": open_deals["value"] or 0,
        "activity_week_count": visible_activities(user).filter(occurred_at__gte=week_start).count(),
        "week_start": week_start,
        "currency": settings.CURRENCY,
        "recent_activities": visible_activities(user)
        .select_related("account")
        .order_by("-occurred_at", "-pk")[:8],
    }
    return render(request, "shell/home.html", context)
