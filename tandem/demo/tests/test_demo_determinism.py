"""Determinism, scale and --reset: each test builds its own demo in its own transaction."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from tandem.accountplans.models import AccountPlan
from tandem.accounts.models import Account
from tandem.core.bulk import BackgroundWriter, IdAllocator, TableWriter, check_foreign_keys
from tandem.demo.generator import delete_demo
from tandem.demo.management.commands.demo import Command
from tandem.demo.tests.conftest import TODAY, checksum_of_all_rows
from tandem.pipeline.models import Deal, StageChange
from tandem.users.models import Region, Role, User
from testsupport.builders import make_account, make_deal, make_user

pytestmark = pytest.mark.django_db


def demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--today", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


def test_same_seed_and_date_give_the_same_rows():
    demo("--seed", "3")
    first = checksum_of_all_rows()
    demo("--seed", "3", "--reset")
    assert checksum_of_all_rows() == first
    # The checksum notices a change of a single value.
    deal = Deal.objects.order_by("pk").last()
    Deal.objects.filter(pk=deal.pk).update(value=deal.value + 1)
    changed = checksum_of_all_rows()
    assert changed != first
    # … and of a row written by an app on top of the core demo
    plan = AccountPlan.objects.order_by("pk").first()
    AccountPlan.objects.filter(pk=plan.pk).update(objectives=plan.objectives + ".")
    assert checksum_of_all_rows() != changed


def test_reset_to_scale_two_doubles_deals_accounts_and_reps_and_keeps_other_users():
    root = make_user("root", Role.ADMIN)
    demo("--seed", "5")
    one = (Deal.objects.count(), Account.objects.count(), User.objects.count() - 1)
    output = demo("--seed", "5", "--scale", "2", "--reset")
    assert "Deleting" in output
    two = (Deal.objects.count(), Account.objects.count(), User.objects.count() - 1)
    for single, double in zip(one, two, strict=True):
        assert 1.6 <= double / single <= 2.4, (one, two)
    assert User.objects.filter(role=Role.HEAD_OF_SALES).count() == 1
    assert len(set(User.objects.values_list("username", flat=True))) == User.objects.count()
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


def test_foreign_key_check_finds_a_row_pointing_at_nothing(org):
    deal = make_deal(org.alice)
    first = IdAllocator([StageChange]).next_id[StageChange]
    check_foreign_keys({StageChange: first})
    writer = TableWriter(StageChange, ["id", "deal", "to_stage", "changed_at"])
    writer.add((first, deal.pk + 1000, deal.stage_id, timezone.now()))
    writer.flush()
    with pytest.raises(RuntimeError, match="deal_id"):
        check_foreign_keys({StageChange: first})
    StageChange.objects.filter(pk=first).delete()


def test_a_failed_background_write_reaches_the_caller_as_djangos_error(org):
    with pytest.raises(IntegrityError), transaction.atomic(), BackgroundWriter() as sink:
        writer = TableWriter(Region, ["id", "name"], sink=sink)
        writer.add((10_000, "North"))  # the org fixture has a region of that name already
        writer.flush()
    assert Region.objects.filter(name="North").count() == 1


def test_help_follows_the_terminals_language(monkeypatch, capsys):
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    Command().print_help("tandem", "demo")
    assert "Vervielfacht den Umfang" in capsys.readouterr().out
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    Command().print_help("tandem", "demo")
    assert "Multiply the size" in capsys.readouterr().out
