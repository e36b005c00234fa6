"""Determinism, scale and --reset: each test builds its own demo in its own transaction."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tandem.accounts.models import Account
from tandem.core.testing import make_account, make_user
from tandem.demo.generator import build_demo, delete_demo
from tandem.demo.tests.conftest import TODAY, checksum_of_all_rows
from tandem.pipeline.models import Deal, StageChange
from tandem.users.models import Role, User

pytestmark = pytest.mark.django_db


def demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--today", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


def test_same_seed_and_date_give_the_same_rows_and_another_seed_does_not():
    demo("--seed", "3")
    first = checksum_of_all_rows()
    demo("--seed", "3", "--reset")
    assert checksum_of_all_rows() == first
    demo("--seed", "4", "--reset")
    assert checksum_of_all_rows() != first


def test_scale_two_gives_about_twice_the_deals_accounts_and_reps():
    build_demo(scale=1, seed=5, today=TODAY)
    one = (Deal.objects.count(), Account.objects.count(), User.objects.count())
    delete_demo()
    assert not Deal.objects.exists()
    build_demo(scale=2, seed=5, today=TODAY)
    two = (Deal.objects.count(), Account.objects.count(), User.objects.count())
    for single, double in zip(one, two, strict=True):
        assert 1.6 <= double / single <= 2.4, (one, two)
    assert User.objects.filter(role=Role.HEAD_OF_SALES).count() == 1
    assert len(set(User.objects.values_list("username", flat=True))) == User.objects.count()


def test_reset_deletes_the_demo_and_keeps_other_users():
    root = make_user("root", Role.ADMIN)
    demo()
    deals = Deal.objects.count()
    output = demo("--reset")
    assert "Deleting" in output
    assert Deal.objects.count() == deals
    assert StageChange.objects.filter(deal__in=Deal.objects.all()).count() == (
        StageChange.objects.count()
    )
    assert User.objects.filter(pk=root.pk).exists()
    delete_demo()
    assert list(User.objects.values_list("username", flat=True)) == ["root"]
    assert not Account.objects.exists() and not Deal.objects.exists()


def test_refuses_a_database_with_other_customer_data_even_with_reset():
    someone = make_user("someone")
    make_account(someone, name="Imported GmbH")
    for args in ([], ["--reset"]):
        with pytest.raises(CommandError, match="not part of the demo"):
            demo(*args)
    assert Account.objects.count() == 1
    assert not Deal.objects.exists()


def test_refuses_when_a_fixed_username_is_taken():
    make_user("admin", Role.ADMIN)
    with pytest.raises(CommandError, match="admin"):
        demo()
    assert not Deal.objects.exists()
