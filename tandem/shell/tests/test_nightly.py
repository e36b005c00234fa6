"""`tandem nightly`: the day's work now, in this process (the workers do it on their own)."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.utils import timezone

from tandem.forecast.models import ForecastSnapshot
from tandem.keyaccounts.models import RuleEvaluation
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


def test_a_wrong_time_for_the_day_s_work_is_refused_clearly():
    checked = subprocess.run(
        [sys.executable, "-m", "tandem", "check"],
        env=dict(os.environ, TANDEM_NIGHTLY_AT="25:00"),
        capture_output=True,
        text=True,
    )
    assert checked.returncode != 0
    assert "TANDEM_NIGHTLY_AT is not a time of day (HH:MM): 25:00" in checked.stderr
