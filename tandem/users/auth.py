"""Who is calling: a personal API token (`Authorization: Bearer tdm_…`) or a browser session.

A token is looked up by its SHA-256; revoked tokens and inactive users are refused. A session
(the logged-in browser, e.g. on the docs page) is accepted too, with Django's CSRF check on
writes.
"""

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from tandem.users.models import User
from tandem.users.services import authenticate_api_token


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = authenticate_api_token(token)
        if user is None:
            # A wrong token is an error even when a session cookie came along with it.
            raise AuthenticationError()
        request.user = user
        return user


token_auth = ApiTokenAuth()
session_auth = SessionAuth()
