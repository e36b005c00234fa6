"""The sales report under /api/kpis/sales: the cockpit's figures (tandem.sales.cockpit) as
`tandem kpis --format json` prints them."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from tandem.core.api.errors import ERROR_RESPONSES, FieldError
from tandem.core.errors import DomainError
from tandem.core.periods import Period
from tandem.kpis.sales import KpiScope
from tandem.sales.cockpit import sales_cockpit
from tandem.sales.report import sales_report_json
from tandem.users.selectors import visible_teams

router = Router()


@router.get("", response={200: dict, **ERROR_RESPONSES}, summary="Sales KPIs")
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
    return sales_report_json(sales_cockpit(KpiScope(request.auth, found, chosen)))
