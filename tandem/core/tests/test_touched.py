"""What a write touched reaches the keepers of derived numbers that follow its kind of records,
and nothing else keeps them fresh: no model signal is connected (tandem.core.touched)."""

import pytest
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from tandem.accounts.models import Account, Contact, Contract
from tandem.activities.models import Activity
from tandem.core import touched
from tandem.pipeline.models import Deal, StageChange
from tandem.quotas.models import Quota
from tandem.revenue.models import RevenueLine
from tandem.users.models import Team, User


@pytest.mark.django_db
def test_a_touch_reaches_the_keepers_that_follow_its_records():
    heard = []
    touched.register("test.listener", heard.append, follows=["quotas"])
    try:
        touched.touched("quotas", owners=[None, 7], teams=[None])
        touched.touched("quotas", owners=[None], accounts=[None])  # nobody: nobody is told
        touched.touched("revenue", accounts=[3])  # not followed
        with pytest.raises(ValueError, match="kinds of records"):
            touched.touched("quota", teams=[1])  # a typo would leave numbers stale
    finally:
        touched._keepers.pop("test.listener")
    assert heard == [
        touched.Touch(records=frozenset({"quotas"}), owners=frozenset({7}), teams=frozenset({None}))
    ]


RECORDS = [
    Deal,
    StageChange,
    Activity,
    Activity.contacts.through,
    Quota,
    User,
    Team,
    Account,
    Contact,
    Contract,
    RevenueLine,
]


@pytest.mark.parametrize("model", RECORDS, ids=lambda model: model.__name__)
def test_no_model_signal_keeps_the_derived_numbers(model):
    """The writers say what they touched; a receiver of the records' model signals would be
    a second, partial way (it misses bulk writes and raw deletes)."""
    for signal in (pre_save, post_save, pre_delete, post_delete, m2m_changed):
        assert not signal.has_listeners(model), f"{signal} of {model.__name__}"
