"""What the invoiced revenue shows on the account page: a chart per month."""

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from tandem.revenue.selectors import visible_revenue_lines


def monthly_revenue(user, account) -> dict:
    """Invoiced revenue of the account per month, summed by the database."""
    rows = (
        visible_revenue_lines(user)
        .filter(account=account)
        .annotate(month=TruncMonth("invoiced_on"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by("month")
    )
    months, totals = [], []
    for row in rows:
        months.append(row["month"].strftime("%Y-%m"))
        totals.append(float(row["total"]))
    return {"months": months, "totals": totals, "label": _("Invoiced revenue")}


def account_revenue(user, account, page: dict) -> dict:
    revenue = monthly_revenue(user, account)
    return {"revenue": revenue, "revenue_total": sum(revenue["totals"])}
