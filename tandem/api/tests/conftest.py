import pytest
from django.test import Client
from django.utils import translation

from tandem.users.services import create_api_token


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    """A German request leaves German active in the test thread (LocaleMiddleware activates
    the language and nothing resets it); later tests must not inherit it."""
    yield
    translation.deactivate()


def token_client(user, language: str = "en") -> Client:
    """A client that calls the API with a fresh personal token of `user`."""
    _token, raw = create_api_token(user, name="tests", acting_user=user)
    return Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": language})


@pytest.fixture
def as_user(org):
    """`as_user("alice")`: an API client with a token of that persona."""
    clients = {}

    def get(username: str, language: str = "en") -> Client:
        key = (username, language)
        if key not in clients:
            clients[key] = token_client(getattr(org, username), language)
        return clients[key]

    return get
