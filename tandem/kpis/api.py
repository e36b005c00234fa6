"""REST endpoints of the KPI layer, under /api/kpis: the sales report (the same function as
`tandem kpis --format json`) and the quotas (tandem/quotas/api.py)."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from tandem.api.errors import ERROR_RESPONSES, FieldError
from tandem.core.errors import DomainError
from tandem.kpis.kam_report import kam_report_json
from tandem.kpis.periods import Period
from tandem.kpis.report import sales_report_json
from tandem.kpis.sales import KpiScope
from tandem.quotas.api import quota_router
from tandem.users.models import User
from tandem.users.selectors import visible_teams

kpi_router = Router()
kpi_router.add_router("/quotas", quota_router)


@kpi_router.get("/sales", response={200: dict, **ERROR_RESPONSES}, summary="Sales KPIs")
def sales_kpis_endpoint(request: HttpRequest, period: str | None = None, team: int | None = None):
    """The sales KPIs of one period (default: the current quarter) for what the caller may see:
    `company` (the caller's whole scope), `teams`, `reps`, `funnel` and `channels`; the keys are
    those of docs/kpis.md."""
    try:
        found = Period.parse(period) if period else Period.containing(timezone.localdate())
    except DomainError as error:
        raise FieldError("period", error.message, source="query") from None
    chosen = None
    if team is not None:
        chosen = visible_teams(request.auth).filter(pk=team).first()
        if chosen is None:
            raise FieldError("team", _("There is no team with this id."), source="query")
    return sales_report_json(KpiScope(request.auth, found, chosen))


def find_kam(text: str) -> User | None:
    """A KAM named by username or by id (None when there is none)."""
    from tandem.users.models import Role

    kams = User.objects.filter(role=Role.KEY_ACCOUNT_MANAGER)
    found = kams.filter(username=text).first()
    if found is None and text.isdigit():
        found = kams.filter(pk=int(text)).first()
    return found


@kpi_router.get("/kam", response={200: dict, **ERROR_RESPONSES}, summary="KAM KPIs")
def kam_kpis_endpoint(request: HttpRequest, period: str | None = None, kam: str | None = None):
    """The Key Account Manager KPIs of one period (default: the current year, up to today) for
    the portfolios the caller may see: `company` (all of them together), `kams` and
    `accounts`; keys as in docs/kam-kpis.md. `kam` (username or id) picks one KAM. A KAM sees
    only their own portfolio, a Sales Manager one KAM at a time (the first when none is
    chosen), Head of Sales and admins every KAM; sales reps get 403."""
    from tandem.quotas.models import PeriodKind

    try:
        found = (
            Period.parse(period)
            if period
            else Period.containing(timezone.localdate(), PeriodKind.YEAR)
        )
    except DomainError as error:
        raise FieldError("period", error.message, source="query") from None
    chosen = None
    if kam:
        chosen = find_kam(kam)
        if chosen is None:
            raise FieldError(
                "kam", _("There is no Key Account Manager “{kam}”.").format(kam=kam), source="query"
            )
    return kam_report_json(request.auth, found, chosen)
