import copy
import os
import threading
import time

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.core.signals import request_finished, request_started
from django.db import connection, connections, transaction
from django.test.testcases import LiveServerThread
from pytest_django.plugin import blocking_manager_key

from testsupport.api import token_client
from testsupport.browser import BROWSER_ARGS
from testsupport.builders import Org, seed_reference_data

# Playwright's sync API runs an event loop in the test thread; the ORM calls made next to it
# are still synchronous, so Django's async guard would be a false alarm here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class OneRequestAtATime(ThreadedWSGIServer):
    """The live server for an in-memory SQLite database: every request thread shares the test's
    one connection, and two queries on it at once can hang both (Django warns of it), so the
    requests take turns (each still in its own thread: the browser's connections stay open)."""

    def set_app(self, application):
        lock = threading.Lock()

        def in_turn(environ, start_response):
            with lock:
                return list(application(environ, start_response))

        super().set_app(in_turn)


def pytest_configure(config):
    from django.conf import settings

    # Hashing with PBKDF2 costs ~0.1 s per user; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Jobs run through the worker's own code when a worker would take them: when the asking
    # code would have committed (pytest_runtest_call), and as a request starts or ends. A
    # test that writes and then reads sees what a worker would have done in between; the
    # queue itself is tested with real workers (tandem/jobs/tests/test_workers.py).
    settings.JOBS_RUN_AT_ONCE = True
    request_started.connect(_run_the_asked_for, dispatch_uid="tests-run-asked-for-jobs-first")
    request_finished.connect(_run_the_asked_for, dispatch_uid="tests-run-the-asked-for-jobs")
    if connection.vendor == "sqlite":
        LiveServerThread.server_class = OneRequestAtATime


def _run_the_asked_for(**kwargs) -> None:
    from tandem.jobs.services import run_the_asked_for

    run_the_asked_for()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """The jobs the fixtures asked for run first. During the test, a job runs when the code
    that asked for it would have committed: at once when it asked outside any atomic block of
    its own (autocommit), else as its outermost atomic block ends (Django's on_commit, which a
    test's transaction never reaches)."""
    from django.db.transaction import Atomic

    from tandem.jobs import services

    if services.asked_for():
        with item.config.stash[blocking_manager_key].unblock():
            services.run_the_asked_for()
    base = len(connection.atomic_blocks)
    running = False

    def run_when_committed() -> None:
        nonlocal running
        if not running and services.asked_for() and len(connection.atomic_blocks) <= base:
            running = True
            try:
                services.run_the_asked_for()
            finally:
                running = False

    leave = Atomic.__exit__

    def leave_then_run(self, *exc_info):
        left = leave(self, *exc_info)
        run_when_committed()
        return left

    services.after_asking, Atomic.__exit__ = run_when_committed, leave_then_run
    try:
        return (yield)
    finally:
        services.after_asking, Atomic.__exit__ = services.nothing_to_do, leave
        services.forget_the_asked_for()  # their rows went with the test's transaction


@pytest.fixture(autouse=True)
def start_in_the_default_language():
    """A German request leaves German active in the test thread (LocaleMiddleware activates it
    and nothing resets it): every test starts, and leaves, in the default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


# Fixtures whose tests commit for real (another thread or process reads the database): a module
# with one of them cannot share one transaction among its tests.
COMMITTING = {"transactional_db", "live_server", "django_db_reset_sequences"}
SHARING_MODULES: set[str] = set()
ORG_MODULES: set[str] = set()
MODULE_ORGS: dict[str, Org] = {}


def pytest_collection_modifyitems(config, items):
    """Note the modules whose tests all run in the test database's transactions (they share
    one per module, see `module_transaction`) and which of them use the personas."""
    committing, using_db, without_org = set(), set(), set()
    for item in items:
        module = item.module.__name__
        names = set(item.fixturenames)
        marker = item.get_closest_marker("django_db")
        if names & COMMITTING or (marker and marker.kwargs.get("transaction")):
            committing.add(module)
        if "db" in names or marker:
            using_db.add(module)
            if not names & {"org", "module_org"}:
                without_org.add(module)
    SHARING_MODULES.update(using_db - committing)
    # Built once per module only where every test has the personas anyway: a test without them
    # may count every user.
    ORG_MODULES.update(SHARING_MODULES - without_org)


@pytest.fixture(scope="module", autouse=True)
def module_transaction(request, django_db_blocker):
    """One transaction around a module: what its fixtures build once (the personas, an imported
    data set) is there for every test and rolled back after the module's last one; each test
    runs in a savepoint of it, so tests still never see each other's writes."""
    module = request.module.__name__
    if module not in SHARING_MODULES:
        yield
        return
    request.getfixturevalue("django_db_setup")
    outer = transaction.atomic()
    outer._from_testcase = True  # the tests' own blocks nest in it as in a TestCase
    with django_db_blocker.unblock():
        outer.__enter__()
        if module in ORG_MODULES:
            MODULE_ORGS[module] = Org()
    try:
        yield  # the database stays blocked for a test that does not ask for it
    finally:
        MODULE_ORGS.pop(module, None)
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """On PostgreSQL, the foreign keys a module's shared data left unchecked are checked once,
    as the module-scoped fixture that wrote them is built.

    Django checks the deferred foreign keys as each test ends (`SET CONSTRAINTS ALL IMMEDIATE`);
    PostgreSQL undoes that check with the test's savepoint and so checked every row the module
    imported again for every test (0.3 s a test after the Maven import).

    The jobs a module-scoped fixture asked for run as it is built, in the module's transaction:
    run in a test's savepoint, they would be undone with it, yet count as done."""
    from tandem.jobs.services import asked_for, run_the_asked_for

    built = yield
    if fixturedef.scope == "module" and request.module.__name__ in SHARING_MODULES:
        with request.config.stash[blocking_manager_key].unblock():
            if asked_for():
                run_the_asked_for()
            if connection.vendor == "postgresql":
                connection.check_constraints()
    return built


@pytest.fixture(autouse=True)
def keep_the_module_transaction(request, monkeypatch):
    """Code that closes the connection (Django's run_from_argv does, as a command ends) would
    end the module's shared transaction; while it is open, closing is left to the module."""
    if request.module.__name__ in SHARING_MODULES:
        monkeypatch.setattr(connections["default"], "close", lambda: None)


@pytest.fixture(scope="module")
def module_db(request, module_transaction, django_db_blocker):
    """Database access for a module-scoped fixture that writes (`with module_db(): …`): its
    rows live in the module's shared transaction and are rolled back after the module."""
    if request.module.__name__ not in SHARING_MODULES:
        pytest.fail("A module whose fixtures write cannot hold tests that commit (browser, races)")
    return django_db_blocker.unblock


@pytest.fixture(scope="module")
def module_org(request, module_transaction) -> Org:
    """The module's personas, for module-scoped fixtures (tests take `org`, a copy of them)."""
    if request.module.__name__ not in MODULE_ORGS:
        pytest.fail("module_org needs a module whose every database test uses the personas")
    return MODULE_ORGS[request.module.__name__]


@pytest.fixture
def org(request, db) -> Org:
    """The personas: alice and bob (reps), mona and sam (their Sales Managers), kim (KAM),
    hanna (Head of Sales), otto (admin). Built once per module where the module's tests share a
    transaction; each test gets its own copy of the Python objects."""
    shared = MODULE_ORGS.get(request.module.__name__)
    return copy.deepcopy(shared) if shared is not None else Org()


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


CSP_PREFIX = "CSP violation:"
CSP_WATCH = f"""document.addEventListener("securitypolicyviolation", (e) => console.error(
  "{CSP_PREFIX} " + e.effectiveDirective + " blocked " + (e.blockedURI || "inline") + " at "
  + e.sourceFile + ":" + e.lineNumber + " on " + location.pathname + " " + (e.sample || "")));"""


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page against the live server.

    Live-server tests run in a transactional database that is emptied after each test, the
    seeded reference data too, so it is seeded again here."""
    seed_reference_data()
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    # Every browser test holds the Content-Security-Policy: whatever it blocks fails the test.
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: message.text.startswith(CSP_PREFIX) and violations.append(message.text),
    )
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
    assert violations == [], "the Content-Security-Policy blocked something"
