import re
from collections import defaultdict

from django.test import Client
from ninja import Schema

from tandem.shell.api import api

PATHS = [
    "/api/accounts",
    "/api/accounts/{account_id}",
    "/api/contacts",
    "/api/contacts/{contact_id}",
    "/api/deals",
    "/api/deals/{deal_id}",
    "/api/activities",
    "/api/activities/{activity_id}",
    "/api/products",
    "/api/products/{product_id}",
]


def test_the_openapi_schema_lists_every_endpoint(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(PATHS) <= set(schema["paths"])
    for path in PATHS:
        methods = set(schema["paths"][path])
        assert methods == ({"get", "post"} if "{" not in path else {"get", "patch", "delete"})
    schemes = schema["components"]["securitySchemes"]
    assert any(scheme.get("scheme") == "bearer" for scheme in schemes.values())
    deal_filters = {p["name"] for p in schema["paths"]["/api/deals"]["get"]["parameters"]}
    assert {
        "stage",
        "owner",
        "account",
        "channel",
        "deal_type",
        "outcome",
        "without_account",
        "closed_after",
        "closed_before",
        "limit",
        "offset",
        "ordering",
    } <= deal_filters


def test_the_docs_page_is_our_own_and_loads_nothing_from_elsewhere(org):
    client = Client()
    client.force_login(org.alice)
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    for path in PATHS:
        assert path in html
    assert "DealCreateSchema" in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert not [url for url in sources if url.startswith(("http:", "https:", "//"))]


def test_the_docs_page_is_german_for_a_german_reader(org):
    client = Client(headers={"Accept-Language": "de"})
    client.force_login(org.alice)
    html = client.get("/api/docs").content.decode()
    assert "Anfrage senden" in html


def test_the_schema_documents_the_error_shape(db):
    schema = Client().get("/api/openapi.json").json()
    responses = schema["paths"]["/api/deals"]["post"]["responses"]
    assert {"201", "401", "403", "404", "422"} <= set(responses)
    invalid = responses["422"]["content"]["application/json"]["schema"]["$ref"]
    assert invalid.endswith("/InvalidInputSchema")
    problem = schema["components"]["schemas"]["ProblemSchema"]
    assert set(problem["properties"]) == {"loc", "msg", "type"}


def test_no_two_schemas_share_a_name():
    """The OpenAPI document keys schemas by class name: a second class of the same name
    silently replaces the first one in the published document."""

    api.get_openapi_schema()  # imports every router, lazily added ones included
    seen, stack = defaultdict(set), [Schema]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("tandem."):
            seen[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    clashes = {name: sorted(where) for name, where in seen.items() if len(where) > 1}
    assert clashes == {}
