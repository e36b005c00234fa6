from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tandem.audit.selectors import history_of
from tandem.quotas.models import Quota

pytestmark = pytest.mark.django_db


def quota(*args) -> str:
    out = StringIO()
    call_command("quota", *args, stdout=out)
    return out.getvalue()


def test_set_a_quota_from_the_command_line(org):
    quota("set", "--person", "alice", "--period", "2017Q3", "--target", "5000", "--user", "mona")
    saved = Quota.objects.get()
    assert saved.user == org.alice and saved.target == 5000
    assert history_of(saved)[0].actor == org.mona
    assert "alice" in quota("list", "--user", "mona", "--period", "2017")


def test_refusals_are_clear_messages(org):
    quota("set", "--team", "North", "--period", "2017Q3", "--target", "9", "--user", "hanna")
    with pytest.raises(CommandError, match="2017Q3"):
        quota("set", "--team", "North", "--period", "2017-08", "--target", "1", "--user", "hanna")
    with pytest.raises(CommandError, match="negative"):
        quota("set", "--team", "North", "--period", "2018", "--target", "-1", "--user", "hanna")
    with pytest.raises(CommandError, match="2017Q0"):
        quota("set", "--team", "North", "--period", "2017Q0", "--target", "1", "--user", "hanna")
    with pytest.raises(CommandError):
        quota("set", "--person", "bob", "--period", "2018", "--target", "1", "--user", "mona")
    assert Quota.objects.count() == 1


def test_import_a_csv_file(org, tmp_path):
    path = tmp_path / "quotas.csv"
    path.write_text(
        "person,team,metric,period,target\nalice,,won_value,2017Q1,100\n,South,deals_won,2017,5\n"
    )
    out = quota("import", str(path), "--user", "hanna")
    assert "2 created" in out and Quota.objects.count() == 2
    path.write_text("person,metric,period,target\nalice,won_value,2017-02,1\n")
    with pytest.raises(CommandError):
        quota("import", str(path), "--user", "hanna")
    assert Quota.objects.count() == 2


def test_list_names_a_bad_period_or_metric(org):
    with pytest.raises(CommandError, match="2017Q5"):
        quota("list", "--user", "hanna", "--period", "2017Q5")
    quota("set", "--person", "alice", "--period", "2017Q3", "--target", "5", "--user", "mona")
    quota("set", "--person", "alice", "--period", "2017Q4", "--target", "6", "--user", "mona")
    listed = quota("list", "--user", "mona", "--period", "2017", "--metric", "won_value")
    assert listed.splitlines() == [
        "alice  won_value  2017Q3  5.00",
        "alice  won_value  2017Q4  6.00",
    ]
    assert quota("list", "--user", "mona", "--metric", "deals_won") == ""
