"""Requests that no view should see: too large a body (413) and a query string holding control
characters (400), each answered with a sentence that says what to change.

Why a middleware: Django raises RequestDataTooBig where the body is first read, often in the
CSRF check before any view, and turns it into a bare "Bad Request"; the declared length is
checked here first (a body sent without one is caught where a view reads it: process_exception).
Many pages read their query (a search, a picker's text) without a form, so the text rule of
tandem/core/validation.py is applied to every query here once. The API answers both in its own
JSON shape."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tandem.core.validation import query_problems

API_PREFIX = "/api/"


def too_big_message() -> str:
    return _("The request is too large: send at most {size} MB.").format(
        size=settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    )


def too_big(request) -> HttpResponse:
    """413 with a message: JSON for the API, a short page for the web."""
    return _answer(request, 413, too_big_message())


def _answer(request, status: int, message: str, field: str | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        if status == 413:
            return JsonResponse({"detail": message}, status=status)
        loc = ["query", field] if field else ["query"]
        detail = [{"loc": loc, "msg": message, "type": "invalid"}]
        return JsonResponse({"detail": detail}, status=422)
    headings = {413: _("Request too large"), 400: _("Bad request")}
    context = {"status": status, "heading": headings[status], "message": message}
    return render(request, "core/refused.html", context, status=status)


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return too_big(request)
        if not request.path.startswith(API_PREFIX):
            problems = query_problems(request.GET)
            if problems:
                field, error = problems[0]
                message = _("The parameter “{field}”: {problem}").format(
                    field=field, problem=error.message()
                )
                return _answer(request, 400, message, field)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
            return too_big(request)
        return None
