"""The REST API under /api/: one NinjaAPI, a router per domain, one error shape for all.

Authentication: a personal API token (`Authorization: Bearer tdm_…`) or the browser session
(with CSRF on writes). The OpenAPI schema is at /api/openapi.json, the docs page at /api/docs
(rendered by our own template from the schema: no files from a CDN).
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as ModelValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from tandem.accounts.api import account_router, contact_router
from tandem.activities.api import activity_router
from tandem.catalog.api import product_router
from tandem.core.api import errors
from tandem.core.api.parser import GuardedParser
from tandem.core.errors import DomainError, StaleRecord
from tandem.core.middleware import too_big
from tandem.keyaccounts.api import keyaccount_router
from tandem.pipeline.api import deal_router
from tandem.shell.docs import TandemDocs
from tandem.users.auth import ExpiredTokenError, session_auth, token_auth

DESCRIPTION = errors.__doc__

api = NinjaAPI(
    title="Tandem API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[token_auth, session_auth],
    docs=TandemDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=GuardedParser(),
)

api.add_router("/accounts", account_router, tags=["accounts"])
api.add_router("/contacts", contact_router, tags=["contacts"])
api.add_router("/deals", deal_router, tags=["deals"])
api.add_router("/forecast", "tandem.forecast.api.forecast_router", tags=["forecast"])
api.add_router("/activities", activity_router, tags=["activities"])
api.add_router("/products", product_router, tags=["products"])
api.add_router("/key-accounts", keyaccount_router, tags=["key accounts"])
api.add_router("/people", "tandem.people.api.people_router", tags=["people"])
api.add_router("/kpis", "tandem.kpis.api.kpi_router", tags=["kpis"])
api.add_router("/kpis/sales", "tandem.sales.api.router", tags=["kpis"])
api.add_router("/kpis/kam", "tandem.kam.api.router", tags=["kpis"])
api.add_router("/account-plans", "tandem.accountplans.api.router", tags=["account plans"])
api.add_router("/renewals", "tandem.renewals.api.router", tags=["renewals"])
api.add_router("/whitespace", "tandem.portfolio.api.router", tags=["whitespace"])
api.add_router("/insights", "tandem.insights.api.router", tags=["insights"])
api.add_router("/compensation", "tandem.compensation.api.router", tags=["compensation"])
api.add_router("/hiring", "tandem.hiring.api.router", tags=["hiring"])
api.add_router("/coaching", "tandem.coaching.api.router", tags=["coaching"])
api.add_router("/approvals", "tandem.approvals.api.approval_router", tags=["approvals"])
api.add_router("/jobs", "tandem.jobs.api.router", tags=["jobs"])


def _invalid(request, problems):
    return api.create_response(request, {"detail": problems}, status=422)


@api.exception_handler(NinjaValidationError)
def on_invalid_input(request, exc):
    return _invalid(request, errors.from_pydantic(exc.errors))


@api.exception_handler(ModelValidationError)
def on_model_validation(request, exc):
    return _invalid(request, errors.from_model_validation(exc))


@api.exception_handler(DomainError)
def on_domain_error(request, exc):
    return _invalid(request, errors.from_domain_error(exc))


@api.exception_handler(StaleRecord)
def on_stale_record(request, exc):
    return api.create_response(request, {"detail": errors.from_stale_record(exc)}, status=409)


@api.exception_handler(errors.InvalidInput)
def on_invalid_input_of_a_field(request, exc):
    return _invalid(request, exc.problems)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    response = api.create_response(
        request,
        {
            "detail": exc.message
            if isinstance(exc, ExpiredTokenError)
            else _("Send a valid API token: Authorization: Bearer tdm_…")
        },
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    if exc.status_code == 400 and isinstance(exc.__cause__, errors.InvalidInput):
        # The parser refused what the body holds (tandem/core/api/parser.py)
        return _invalid(request, exc.__cause__.problems)
    if exc.status_code == 400 and isinstance(exc.__cause__, RequestDataTooBig):
        return too_big(request)
    if exc.status_code == 400:
        # Ninja's only 400: a body that is not JSON. Answer it like any other invalid input.
        message = errors.PYDANTIC_MESSAGES["json_invalid"]
        return _invalid(request, [errors.problem([errors.BODY], message, "json_invalid")])
    if exc.status_code == 403 and "CSRF" in str(exc):
        message = _("CSRF check failed: send the X-CSRFToken header with a session.")
    else:
        messages = {403: _("You may not do this."), 404: _("Not found.")}
        message = messages.get(exc.status_code, str(exc))
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return api.create_response(
        request, {"detail": str(exc) or _("You may not do this.")}, status=403
    )


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)
