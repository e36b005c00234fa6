from importlib import import_module

import pytest
from django.apps import apps

from tandem.hiring.models import Position
from tandem.hiring.services import open_position
from tandem.people.models import CareerStep, RoleProfile


def seed_reference_data() -> None:
    """The people app's competency models and the onboarding templates as the migrations ship
    them (idempotent: live-server tests empty the database after each test)."""

    import_module("tandem.people.migrations.0002_reference_data").add_reference_data(apps, None)
    import_module("tandem.hiring.migrations.0002_onboarding_templates").add_templates(apps, None)


@pytest.fixture(autouse=True)
def reference_data(request):
    names = set(request.fixturenames)
    if {"live_server", "page", "transactional_db"} & names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    else:
        return
    seed_reference_data()


@pytest.fixture
def kam_position(org) -> Position:
    """Mona's open position for a senior account manager (KAM model, one level below)."""
    return open_position(
        acting_user=org.mona,
        title="Senior account manager North",
        team=org.north,
        profile=RoleProfile.objects.get(code="kam"),
        step=CareerStep.objects.get(ladder__code="kam", code="senior_account_manager"),
    )
