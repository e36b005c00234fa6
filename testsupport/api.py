"""API clients for tests: a personal token of a user, and JSON requests."""

from django.test import Client

from tandem.users.services import create_api_token


def token_client(user, language: str = "en"):
    """A client that calls the API with a fresh personal token of `user`."""
    _token, raw = create_api_token(user, name="tests", acting_user=user)
    return Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": language})


def send(client, method: str, url: str, data=None):
    """A JSON request (post, put, patch, delete) through a test client."""
    return getattr(client, method)(url, data or {}, content_type="application/json")
