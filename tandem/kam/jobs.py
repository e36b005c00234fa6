"""The key-account wing's background work: the rules evaluated for every account, and the KAM
figures kept in their count tables (tandem.kam.figures)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tandem.jobs.registry import Every, job
from tandem.kam import figures
from tandem.keyaccounts.services import evaluate_and_store


@job("keyaccounts.refresh", _("Key-account rules and KAM figures"), timeout=3600, attempts=3)
def refresh(progress) -> dict:
    """The day's work: the rules, and every kept period's KAM figures computed whole."""
    progress.step(gettext_noop("Evaluating the key-account rules"), 0, 2)
    evaluation = evaluate_and_store()
    progress.step(gettext_noop("Computing every KAM's figures"), 1, 2)
    done = figures.refresh(full=True)
    progress.step(gettext_noop("Computing every KAM's figures"), 2, 2)
    return {"accounts_meeting_a_rule": evaluation.hit_count, "periods": done["periods"]}


@job(
    figures.JOB,
    _("KAM figures"),
    timeout=3600,
    attempts=3,
    schedule=Every(minutes=1),
)
def refresh_figures(progress, period: str | None = None, full: bool = False) -> dict:
    """The changed accounts' figures in every kept period (a period not computed today: every
    account); with `period`, that period whole (an admin asked for it)."""
    progress.step(gettext_noop("Computing the KAM figures"))
    return figures.refresh(period, full=full)
