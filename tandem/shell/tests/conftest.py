import pytest

from tandem.core.testing import token_client  # noqa: F401 - imported from here by older tests


@pytest.fixture
def as_user(api):
    """`as_user("alice")`: an API client with a token of that persona (the root `api`)."""
    return api
