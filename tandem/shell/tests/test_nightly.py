"""`tandem nightly`: the day's work ahead of the first page view (and `tandem serve` runs it)."""

import datetime
import io
import zoneinfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tandem.forecast.models import ForecastSnapshot
from tandem.keyaccounts.models import RuleEvaluation
from tandem.shell.management.commands.nightly import seconds_until, time_of_day
from tandem.users.models import Team
from testsupport.builders import make_account, make_deal


@pytest.mark.django_db
def test_nightly_keeps_every_forecast_and_the_key_account_rules(org):
    make_deal(org.alice, make_account(org.alice), stage_code="won")
    out = io.StringIO()
    call_command("nightly", stdout=out)
    today = timezone.localdate()
    kept = set(ForecastSnapshot.objects.filter(as_of=today).values_list("scope", "kind"))
    scopes = {"all"} | {f"team:{pk}" for pk in Team.objects.values_list("pk", flat=True)}
    assert kept == {(scope, kind) for scope in scopes for kind in ("month", "quarter")}
    assert RuleEvaluation.objects.filter(day=today).exists()
    assert f"The day's work for {today} done" in out.getvalue()


def test_the_next_run_is_today_or_tomorrow_at_that_time():
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    at = time_of_day("02:30")
    before = datetime.datetime(2026, 11, 27, 1, 30, tzinfo=berlin)
    after = datetime.datetime(2026, 11, 27, 2, 30, tzinfo=berlin)
    assert seconds_until(at, before) == 3600
    assert seconds_until(at, after) == 24 * 3600  # not twice at the same minute


def test_a_wrong_time_of_day_is_refused_clearly():
    with pytest.raises(CommandError, match=r"Not a time of day \(HH:MM\): 25:00"):
        time_of_day("25:00")
