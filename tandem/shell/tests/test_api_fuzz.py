"""The API under a fuzzer: schemathesis sends every endpoint of the published OpenAPI schema
generated valid and invalid requests with a token of each role, and every answer must be no
server error and fit the schema (every check of schemathesis is on).

On PostgreSQL only: it refuses what SQLite stores (a NUL character, a number beyond its
column), so the 500s this hunts are PostgreSQL's. Bounded to about a minute on two cores: a few
examples per endpoint and role (TANDEM_FUZZ_EXAMPLES, default 1 valid and 1 invalid), the same
ones every run (a fixed seed per role; TANDEM_FUZZ_SEED picks others), and the boundary values of
schemathesis's coverage phase (each parameter at its limits, of the wrong type, missing) for the
admin, who may call every endpoint. What it found became plain tests in test_input_rules.py."""

import os

import pytest
import schemathesis
from django.db import connection
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import NO_FEEDBACK
from schemathesis.generation.overrides import Override

from tandem.shell.api import api
from tandem.users.models import Role
from tandem.users.services import create_api_token
from tandem.wsgi import application
from testsupport.builders import Org, make_account, make_contact, make_deal, seed_reference_data

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="hunts PostgreSQL's 500s"),
    # committed for real: a request that fails on PostgreSQL must not abort the test's
    # transaction and turn every later answer into an error
    pytest.mark.usefixtures("transactional_db"),
]

SENT: dict[GenerationMode, int] = {}  # requests sent, per mode (shown with pytest -s)
EXAMPLES = int(os.environ.get("TANDEM_FUZZ_EXAMPLES", "1"))
# The coverage phase yields hundreds of cases for an endpoint with many parameters; the first
# ones per endpoint touch each parameter once.
BOUNDARY_CASES = int(os.environ.get("TANDEM_FUZZ_BOUNDARY_CASES", "20"))
SEED = int(os.environ.get("TANDEM_FUZZ_SEED", "0"))
ROLES = {
    Role.ADMIN: "otto",
    Role.HEAD_OF_SALES: "hanna",
    Role.SALES_MANAGER: "mona",
    Role.SALES_REP: "alice",
    Role.KEY_ACCOUNT_MANAGER: "kim",
}

# Every check is on. A request that fits the schema may still break a business rule (a reference
# to an account the caller cannot see, a stage move the rules refuse): the API answers those with
# 422 in its documented error shape (tandem/core/api/errors.py), so 422 counts as accepting
# schema-valid data here, beside the statuses schemathesis expects by default.
CONFIG = {
    "checks": {
        "positive_data_acceptance": {
            "expected-statuses": ["2XX", "3XX", "401", "403", "404", "409", "422", "429"]
        }
    }
}


@pytest.fixture(scope="module")
def api_schema():
    """The schema /api/openapi.json publishes, its requests sent to the WSGI application."""
    schema = schemathesis.openapi.from_dict(
        api.get_openapi_schema(), config=SchemathesisConfig.from_dict(CONFIG)
    )
    schema.app = application
    return schema


def fuzz(operation, mode: GenerationMode, examples: int, headers: dict, run_seed: int) -> list:
    """Up to `examples` requests of the operation; each failing check is noted, not shrunk."""
    failures: list[str] = []

    @seed(run_seed)
    @settings(
        max_examples=examples,
        phases=[Phase.generate],
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        SENT[mode] = SENT.get(mode, 0) + 1
        check(case, headers, failures, f"{operation.label} ({mode.value})")  # noted, not shrunk

    try:
        run()
    except Unsatisfiable:  # nothing to make invalid (an operation without parameters)
        pass
    return failures


def token_of(role: str) -> dict:
    """The Authorization header of the role's persona, in an organisation with a few rows."""
    seed_reference_data()
    org = Org()
    account = make_account(org.alice)
    make_contact(account)
    make_deal(org.alice, account)
    user = getattr(org, ROLES[role])
    _token, raw = create_api_token(user, name="fuzz", acting_user=user)
    return {"Authorization": f"Bearer {raw}"}


def check(case, headers: dict, failures: list, label: str) -> None:
    response = case.call(headers=headers)
    try:
        case.validate_response(response, headers=headers)
    except (Exception, BaseExceptionGroup) as error:  # a failed check: noted, the next case runs
        failures.append(f"{label}: {str(error)[:2000]}")


def test_no_endpoint_fails_on_the_boundary_values_of_its_parameters(api_schema):
    headers = token_of(Role.ADMIN)
    failures: list[str] = []
    sent = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        # schemathesis's own driver of its coverage phase (pinned in pyproject.toml)
        cases = CoverageGenerator(
            operation=operation,
            generation_modes=list(GenerationMode),
            generation_config=api_schema.config.generation,
            auth_storage=None,
            override=Override(query={}, headers={}, cookies={}, path_parameters={}, body={}),
            feedback=NO_FEEDBACK,
        )
        for number, case in enumerate(cases):
            if number == BOUNDARY_CASES:
                break
            sent += 1
            check(case, headers, failures, f"{operation.label} (boundary)")
    print(f"boundary values: {sent} requests")
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)


@pytest.mark.parametrize("role", list(ROLES))
def test_no_endpoint_answers_a_server_error_or_breaks_its_schema(api_schema, role):
    headers = token_of(role)
    run_seed = SEED * 10 + list(ROLES).index(role)
    failures: list[str] = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        failures += fuzz(operation, GenerationMode.POSITIVE, EXAMPLES, headers, run_seed)
        failures += fuzz(
            operation, GenerationMode.NEGATIVE, max(1, EXAMPLES // 2), headers, run_seed
        )
    print(f"{role}: {dict((mode.value, n) for mode, n in SENT.items())} requests so far")
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)
