"""Who is calling: a personal API token (`Authorization: Bearer tdm_…`) or a browser session.

A token is looked up by its SHA-256; revoked and expired tokens and inactive users are
refused. A session
(the logged-in browser, e.g. on the docs page) is accepted too, with Django's CSRF check on
writes.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from tandem.users.models import User
from tandem.users.services import TokenExpired, authenticate_api_token


class ExpiredTokenError(AuthenticationError):
    """401 with a message that says the token expired and what to do."""


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        try:
            user = authenticate_api_token(token, reading=request.method in ("GET", "HEAD"))
        except TokenExpired as expired:
            when = formats.date_format(
                timezone.localtime(expired.token.expires_at), "SHORT_DATETIME_FORMAT"
            )
            raise ExpiredTokenError(
                message=_(
                    "This API token expired on {when}. Create a new one on the API tokens page."
                ).format(when=when)
            ) from None
        if user is None:
            # A wrong token is an error even when a session cookie came along with it.
            raise AuthenticationError()
        request.user = user
        return user


token_auth = ApiTokenAuth()
session_auth = SessionAuth()


class LoginThrottle(AxesStandaloneBackend):
    """django-axes' lock-out check for logins over HTTP (the login page, the admin's).

    A login without a request (`authenticate()` on the command line, the test client's
    `login()`) comes from no address and cannot be guessed at from outside: axes would refuse
    it outright, so it passes on to the password check instead."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_address(request: HttpRequest) -> str | None:
    """The address a login came from, for throttling. Behind TANDEM_PROXY_COUNT reverse proxies
    that each append to X-Forwarded-For, it is the entry that many places from the right (the
    entries further left are whatever the client chose to send); otherwise the connection's."""
    remote = request.META.get("REMOTE_ADDR")
    if not settings.PROXY_COUNT:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    if len(forwarded) < settings.PROXY_COUNT:
        return remote  # not through the proxies: the connection is all we know
    return forwarded[-settings.PROXY_COUNT]
