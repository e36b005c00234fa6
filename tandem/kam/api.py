"""The KAM report under /api/kpis/kam: the same function as `tandem kpis --role kam`."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from tandem.core.api.errors import ERROR_RESPONSES, FieldError
from tandem.core.errors import DomainError
from tandem.core.periods import Period, PeriodKind
from tandem.kam.cockpit import NotComputed
from tandem.kam.report import kam_report_json
from tandem.users.selectors import kam_named

router = Router()


@router.get("", response={200: dict, **ERROR_RESPONSES}, summary="KAM KPIs")
def kam_kpis_endpoint(request: HttpRequest, period: str | None = None, kam: str | None = None):
    """The Key Account Manager KPIs of one period (default: the current year, up to today) for
    the portfolios the caller may see: `company` (all of them together), `kams` and
    `accounts`; keys as in docs/kam-kpis.md. `kam` (username or id) picks one KAM. A KAM sees
    only their own portfolio, a Sales Manager one KAM at a time (the first when none is
    chosen), Head of Sales and admins every KAM; sales reps get 403. The figures are those a
    job keeps, up to date within a minute of a change: a period they are not kept for (the
    current and the last year, quarter and month always are) is answered with 404."""
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
        chosen = kam_named(kam)
        if chosen is None:
            raise FieldError(
                "kam", _("There is no Key Account Manager “{kam}”.").format(kam=kam), source="query"
            )
    try:
        return kam_report_json(request.auth, found, chosen)
    except NotComputed as missing:
        return 404, {"detail": missing.message}
