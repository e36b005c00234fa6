from importlib import import_module

import pytest
from django.apps import apps

REFERENCE = "tandem.people.migrations.0002_reference_data"


def seed_people_data() -> None:
    """Competencies, models, ladders and questionnaire version 1 as the migration ships them
    (idempotent; live-server tests empty the database after each test)."""

    import_module(REFERENCE).add_reference_data(apps, None)


@pytest.fixture(autouse=True)
def people_data(request):
    if (
        "db" in request.fixturenames
        or "transactional_db" in request.fixturenames
        or ("live_server" in request.fixturenames)
    ):
        seed_people_data()


def shipped():
    """The migration's own lists: the expected values, read without the ORM."""
    return import_module(REFERENCE)


KAM_ANSWERS = {
    "work_style": "alone_deep",
    "horizon": "long_term",
    "advisor_or_leader": "advisor",
    "care_or_conquer": "care",
    "responsibility": "own",
    "patience": "patient",
    "strengths": ["trusted_advisor", "strategic_thinking"],
    "career_goal": "key_accounts",
}
MANAGER_ANSWERS = {
    "work_style": "team_many",
    "horizon": "new_business",
    "advisor_or_leader": "leader",
    "care_or_conquer": "conquer",
    "responsibility": "team",
    "patience": "quick_wins",
    "strengths": ["coaching"],
    "career_goal": "sales_leadership",
}
# Half the answers point one way, half the other.
MIXED_ANSWERS = {
    "work_style": "alone_deep",
    "horizon": "new_business",
    "advisor_or_leader": "advisor",
    "care_or_conquer": "conquer",
    "responsibility": "both",
    "patience": "both",
    "strengths": ["trusted_advisor", "coaching"],
    "career_goal": "open",
}


def expected_points(answers: dict) -> tuple[int, int]:
    """KAM and Sales Manager points summed straight from the migration's QUESTIONS list."""
    kam = manager = 0
    for code, _kind, _text, _text_de, options in shipped().QUESTIONS:
        chosen = answers.get(code, [])
        chosen = [chosen] if isinstance(chosen, str) else chosen
        for option in options:
            if option[0] in chosen:
                kam += option[3]
                manager += option[4]
    return kam, manager
