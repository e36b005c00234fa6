import pytest
from django.test import Client

from tandem.users.services import create_api_token


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
