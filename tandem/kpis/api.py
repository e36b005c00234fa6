"""REST endpoints of the KPI layer, under /api/kpis: the sales report (the same function as
`tandem kpis --format json`) and the quotas (tandem/quotas/api.py). The KAM report is in
tandem/kam/api.py, under /api/kpis/kam."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from tandem.core.api.errors import ERROR_RESPONSES, FieldError
from tandem.core.errors import DomainError
from tandem.core.periods import Period
from tandem.kpis.report import sales_report_json
from tandem.kpis.sales import KpiScope
from tandem.quotas.api import quota_router
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
