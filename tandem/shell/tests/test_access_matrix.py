"""The authorisation matrix: every route × every role × a record inside and outside its scope.

The expected outcome of each call is declared once, in `tandem/shell/access.py`; here the
routes are enumerated (the URL resolver for the web, the OpenAPI schema for the API), called
and compared with it. A refused write must answer 403 or 404 — never a redirect that looks
like success — and leave the database as it was. The records are built once for the module
(`access_scene.py`); each call runs in its own savepoint, so a write never reaches the next.

`TANDEM_ACCESS_DISCOVER=/tmp/answers.txt pytest …` writes down what every call answered
instead of checking it: where a new row of the table starts.
"""

import json
import os
import re

import pytest
from django.apps import apps
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tandem.shell.access import API, LOGIN, ROLES, WEB
from tandem.shell.api import api as tandem_api
from tandem.shell.tests import access_payloads
from tandem.shell.tests.access_scene import PERSONA, build_scene, records_for
from tandem.users.services import create_api_token
from testsupport.jobs import run_queued

ANONYMOUS = "anonymous"
DISCOVER = os.environ.get("TANDEM_ACCESS_DISCOVER")  # a file to write the observed outcomes to
# Django's own pages the table does not hold: the admin site (staff only, checked as a whole)
ADMIN_NAMESPACE = "admin"
# Not operations of the API: its schema and its docs page
API_PAGES = {"api:api-root", "api:openapi-json", "api:openapi-view"}


def web_routes() -> dict[str, str]:
    """{URL name: pattern} of every web page, namespaced includes walked; the API's operations
    are left to the schema."""
    found: dict[str, str] = {}

    def walk(resolver, prefix, namespaces):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespaces + ([pattern.namespace] if pattern.namespace else [])
                walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                where = prefix + str(pattern.pattern)
                name = ":".join([*namespaces, pattern.name or where])
                found.setdefault(name, where)

    walk(get_resolver("tandem.urls"), "/", [])
    return found


def api_operations() -> dict[str, str]:
    """{"METHOD /api/path": operation id} from the published OpenAPI schema."""
    schema = tandem_api.get_openapi_schema()
    return {
        f"{method.upper()} {path}": operation["operationId"]
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }


WEB_ROUTES = web_routes()
API_OPERATIONS = api_operations()


def test_every_web_route_is_in_the_table():
    pages = {
        name
        for name in WEB_ROUTES
        if not name.startswith(f"{ADMIN_NAMESPACE}:")
        and (not name.startswith("api:") or name in API_PAGES)
    }
    missing = sorted(pages - WEB.keys())
    assert not missing, f"Routes missing from tandem/shell/access.py WEB: {missing}"
    assert not sorted(WEB.keys() - pages), "Rows in WEB for routes that no longer exist"


def test_every_api_operation_is_in_the_table():
    missing = sorted(API_OPERATIONS.keys() - API.keys())
    assert not missing, f"API operations missing from tandem/shell/access.py API: {missing}"
    assert not sorted(API.keys() - API_OPERATIONS.keys()), "Rows in API for gone operations"


def test_every_api_url_is_an_operation_of_the_schema():
    """Nothing answers under /api/ that the schema (and so the table) does not name."""
    api_names = {name for name in WEB_ROUTES if name.startswith("api:")} - API_PAGES
    operation_ids = {f"api:{op_id.rsplit('_api_', 1)[1]}" for op_id in API_OPERATIONS.values()}
    assert api_names <= operation_ids, sorted(api_names - operation_ids)


def cases(table, method_of):
    for route, access in sorted(table.items()):
        for method in method_of(route, access):
            for role in (ANONYMOUS, *ROLES):
                if role != ANONYMOUS and access.expected(method, role) == "-":
                    continue
                scopes = ["in", "out"] if access.record and role != ANONYMOUS else ["in"]
                name = route if table is API else f"{route} {method}"
                for scope in scopes:
                    yield pytest.param(route, method, role, scope, id=f"{name} {role} {scope}")


def web_methods(route, access):
    methods = ["GET"] if access.read != "-----" else []
    return methods + (["POST"] if access.write != "-----" else [])


def api_methods(key, access):
    return [key.split(" ", 1)[0]]


@pytest.fixture(scope="module")
def scene(module_org, module_db):
    """The records on every side, a signed-in session and an API token per persona."""
    with module_db():
        # as users.services makes every admin
        module_org.otto.is_staff = module_org.otto.is_superuser = True
        module_org.otto.save(update_fields=["is_staff", "is_superuser"])
        sides = build_scene(module_org)
        run_queued()  # the jobs the scene's writes asked for (the KAM figures the API reads)
        sessions, tokens, own = {}, {}, {}
        for role, name in PERSONA.items():
            user = getattr(module_org, name)
            client = Client()
            client.force_login(user)
            sessions[role] = client.cookies
            own[role], tokens[role] = create_api_token(user, name="matrix", acting_user=user)
    return {"sides": sides, "sessions": sessions, "tokens": tokens, "own": own, "org": module_org}


def client_for(scene, role: str, *, api: bool) -> Client:
    if api:
        headers = {}
        if role != ANONYMOUS:
            headers["Authorization"] = f"Bearer {scene['tokens'][role]}"
        return Client(headers=headers)
    client = Client()
    if role != ANONYMOUS:
        client.cookies = scene["sessions"][role].__class__(scene["sessions"][role])
    return client


def url_kwargs(params, kind: str | None, records: dict) -> dict:
    """The URL's parameters from the route's record."""
    record = records[kind] if kind else None
    values: dict[str, object] = {}
    for name in params:
        if name == "fmt":
            values[name] = "csv"
        elif name == "token":
            values[name] = record.token
        elif name in ("step_pk", "step_id"):
            values[name] = record.pk
        elif kind == "step" and name in ("pk", "plan_id"):
            values[name] = record.plan_id
        else:
            values[name] = record.pk
    return values


def _tables_query() -> str:
    """One statement counting every table of Tandem: rows, highest id, latest change.

    Left out: the caller's token, which records its last use (a write records it at once, a
    read in the shared cache), and the KPI count tables, which the writes' jobs bring up to
    date."""
    quote = connection.ops.quote_name
    parts = []
    for model in apps.get_models():
        meta = model._meta
        if not model.__module__.startswith("tandem.") or meta.app_label == "kpis":
            continue
        if meta.label == "users.ApiToken":
            continue
        fields = {f.name for f in meta.concrete_fields}
        changed = f"MAX({quote('updated_at')})" if "updated_at" in fields else "NULL"
        # as text: PostgreSQL unites only columns of one type
        key = quote(meta.pk.column)
        if meta.pk.get_internal_type() == "UUIDField":  # PostgreSQL has no MAX of a uuid
            key = f"CAST({key} AS VARCHAR)"
        parts.append(
            f"SELECT '{meta.label}', COUNT(*), CAST(MAX({key}) AS VARCHAR),"
            f" CAST({changed} AS VARCHAR) FROM {quote(meta.db_table)}"
        )
    return " UNION ALL ".join(parts)


def fingerprint(record=None) -> tuple:
    """Rows, highest id and latest change of every table of Tandem, and the route's record."""
    with connection.cursor() as cursor:
        cursor.execute(TABLES_QUERY)
        tables = sorted(cursor.fetchall())
    fresh = None
    if record is not None:
        fresh = type(record)._default_manager.filter(pk=record.pk).first()
    return tables, model_to_dict(fresh) if fresh is not None else None


TABLES_QUERY = _tables_query()


def changes(before, after) -> list[str]:
    """The tables (and the route's record) a call changed."""
    tables = [a[0] for a, b in zip(before[0], after[0], strict=True) if a != b]
    return tables + (["the record"] if before[1] != after[1] else [])


def observed(response, *, api: bool) -> str:
    status = response.status_code
    if api:
        return {401: LOGIN, 403: "R", 404: "R", 422: "V"}.get(
            status, "A" if 200 <= status < 300 else f"?{status}"
        )
    if status == 302 and response["Location"].startswith(("/login/", "/admin/login/")):
        return LOGIN
    if 200 <= status < 300 or (status == 302 and response.request["REQUEST_METHOD"] == "POST"):
        return "A"  # a page, or the redirect after a form
    return "R" if status in (403, 404) else f"?{status}"


class ReadsOnly:
    """Notes every statement that writes or locks: a page that only shows must not (its
    numbers are kept fresh by jobs, tandem.jobs), so that it never waits for a lock nor
    slows down a writer, and can be read from a replica."""

    WRITES = re.compile(
        r"^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|TRUNCATE)\b|\bFOR (NO KEY )?UPDATE\b",
        re.IGNORECASE,
    )

    def __init__(self):
        self.writes: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        if self.WRITES.search(sql):
            self.writes.append(sql[:120])
        return execute(sql, params, many, context)


def call(scene, route, method, role, scope, *, api: bool):
    table = API if api else WEB
    access = table[route]
    records = records_for(scene["sides"], role, scope)
    if scope == "in" and role in scene["own"]:
        records["token"] = scene["own"][role]  # whose token is in scope: one's own
    if api:
        path = route.split(" ", 1)[1]
        params = [part[1:-1] for part in path.split("/") if part.startswith("{")]
        url = path.format(**url_kwargs(params, access.record, records))
        payload = access_payloads.api_body(route, records, scene["org"], role)
    else:
        pattern = WEB_ROUTES[route]
        params = re.findall(r"<(?:\w+:)?(\w+)>", pattern)
        url = reverse(route, kwargs=url_kwargs(params, access.record, records))
        payload = access_payloads.web_form(route, records, scene["org"], role)
    client = client_for(scene, role, api=api)
    record = records.get(access.record) if access.record else None
    before = fingerprint(record) if method != "GET" else None
    if method == "GET":
        reads_only = ReadsOnly()
        with connection.execute_wrapper(reads_only):
            response = client.get(url)
        assert not reads_only.writes, f"GET {url} as {role} wrote: {reads_only.writes}"
    elif api:
        response = client.generic(method, url, json.dumps(payload), "application/json")
    else:
        response = client.post(url, payload)
    after = fingerprint(record) if method != "GET" else None
    return response, before, after


# The roles that see part of the company; a page or list they may open names nothing of the
# records outside their scope.
SCOPED = ("rep", "manager", "kam")
NAMED = ("account", "key_account", "deal", "empty_account", "loose_deal")


def names_outside(scene, role: str) -> list[str]:
    records = records_for(scene["sides"], role, "out")
    names = [records[kind].name for kind in NAMED]
    return names + [records[kind].account.name for kind in ("handover", "submitted_handover")]


def text_of(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode(errors="replace")


def expectation(access, method, role, scope, *, api: bool) -> str:
    if role == ANONYMOUS:
        return access.anonymous
    letter = access.expected(method, role)
    if letter == "S":
        return "A" if scope == "in" else "R"
    if letter == "V":
        return "A" if scope == "in" else "V"
    return letter


def check(scene, route, method, role, scope, *, api: bool):
    access = (API if api else WEB)[route]
    response, before, after = call(scene, route, method, role, scope, api=api)
    got = observed(response, api=api)
    want = expectation(access, method, role, scope, api=api)
    if DISCOVER:
        changed = "" if before is None else ("+" if before != after else "=")
        with open(DISCOVER, "a") as out:
            print(route, method, role, scope, response.status_code, got + changed, file=out)
            if response.status_code == 422:
                print("#", route, role, response.content[:300], file=out)
        return
    where = f"{route} {method} as {role} on a record {scope}side the scope"
    if want == "V" and not api:
        # the web shows the form again with the field marked: a 200, never a redirect
        assert response.status_code == 200, f"{where}: {response.status_code}, want the form"
    else:
        assert got == want, f"{where}: answered {response.status_code} ({got}), want {want}"
    if method != "GET" and want in ("R", "V", LOGIN):
        assert before == after, f"{where}: refused, yet it changed {changes(before, after)}"
    if not api and method == "POST" and got == "A" and response.status_code == 302:
        # the redirect after a successful form: something was written (the language aside)
        if route not in ("set_language",):
            assert before != after, f"{where}: redirected as after success, yet wrote nothing"
    if method == "GET" and scope == "in" and role in SCOPED and got == "A":
        shown = [name for name in names_outside(scene, role) if name in text_of(response)]
        assert not shown, f"{where}: shows {shown}, from outside the scope"


@pytest.mark.parametrize(("route", "method", "role", "scope"), list(cases(WEB, web_methods)))
def test_web(db, scene, route, method, role, scope):
    check(scene, route, method, role, scope, api=False)


@pytest.mark.parametrize(("route", "method", "role", "scope"), list(cases(API, api_methods)))
def test_api(db, scene, route, method, role, scope):
    check(scene, route, method, role, scope, api=True)


def admin_url(pattern: str) -> str:
    """An admin page's URL; a page of one object names object 1 (the guard answers first)."""
    url = re.sub(r"\(\?P<app_label>[^)]*\)", "accounts", pattern)
    url = re.sub(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^)]*\)", "1", url)
    return url.replace("^", "").replace("$", "").replace("\\Z", "")


ADMIN_PAGES = sorted(
    (name, admin_url(pattern), "<" not in pattern and "(?P" not in pattern)
    for name, pattern in WEB_ROUTES.items()
    if name.startswith(f"{ADMIN_NAMESPACE}:") and name not in ("admin:login", "admin:logout")
)


@pytest.mark.parametrize("role", [ANONYMOUS, *ROLES])
def test_the_admin_site_is_for_staff_only(db, scene, role):
    """Every page of Django's admin site (its own login and logout aside): anyone but staff is
    sent to the admin's login page; the admin (staff) gets every page without a parameter."""
    client = client_for(scene, role, api=False)
    for name, url, without_parameters in ADMIN_PAGES:
        if role == "admin" and not without_parameters:
            continue  # object 1 need not exist
        response = client.get(url)
        if role != "admin":
            assert response.status_code == 302, f"{name} as {role}: {response.status_code}"
            assert response["Location"].startswith("/admin/login/"), name
        else:  # 403 where the admin offers no adding (the audit trail)
            assert response.status_code in (200, 403), f"{name} as admin: {response.status_code}"
