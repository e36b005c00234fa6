import pytest


@pytest.fixture
def as_user(api):
    """`as_user("alice")`: an API client with a token of that persona (the root `api`)."""
    return api
