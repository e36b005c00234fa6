import pytest

from tandem.core.testing import Org


@pytest.fixture
def org(db) -> Org:
    """The personas: alice and bob (reps), mona and sam (their Sales Managers), kim (KAM),
    hanna (Head of Sales), otto (admin)."""
    return Org()
