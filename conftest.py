import os
import time

import pytest

from testsupport.api import token_client
from testsupport.browser import BROWSER_ARGS
from testsupport.builders import Org, seed_reference_data

# Playwright's sync API runs an event loop in the test thread; the ORM calls made next to it
# are still synchronous, so Django's async guard would be a false alarm here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    from django.conf import settings

    # Hashing with PBKDF2 costs ~0.1 s per user; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def start_in_the_default_language():
    """A German request leaves German active in the test thread (LocaleMiddleware activates it
    and nothing resets it): every test starts, and leaves, in the default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def org(db) -> Org:
    """The personas: alice and bob (reps), mona and sam (their Sales Managers), kim (KAM),
    hanna (Head of Sales), otto (admin)."""
    return Org()


@pytest.fixture
def api(org):
    """`api("alice")`, `api(org.kim, "de")`: an API client with a personal token of that persona
    (or user), one per person and language."""
    clients = {}

    def get(who, language: str = "en"):
        user = getattr(org, who) if isinstance(who, str) else who
        if (user.pk, language) not in clients:
            clients[user.pk, language] = token_client(user, language)
        return clients[user.pk, language]

    return get


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=BROWSER_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page against the live server.

    Live-server tests run in a transactional database that is emptied after each test, the
    seeded reference data too, so it is seeded again here."""
    seed_reference_data()
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    # A request the server is still answering when the test ends (such as a panel the page
    # fetched after it loaded) could write into the next test's database: wait for them.
    in_flight = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    yield page
    deadline = time.monotonic() + 60
    while in_flight and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    context.close()
