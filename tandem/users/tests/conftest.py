import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def start_in_the_default_language():
    """A German request in an earlier test leaves German active in this thread (LocaleMiddleware
    activates it and nothing resets it); code called directly here must start from the default."""
    translation.deactivate()
    yield
    translation.deactivate()
