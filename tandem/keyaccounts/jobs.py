"""The key-account rules evaluated for every account, in the background: after the rules
changed, or when an admin asks for it (the day's work does it too, with the KAM figures:
tandem/kam/jobs.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tandem.jobs.registry import job
from tandem.keyaccounts.selectors import EVALUATE
from tandem.keyaccounts.services import evaluate_and_store


@job(EVALUATE, _("Evaluating the key-account rules"), timeout=1800, attempts=3)
def evaluate(progress) -> dict:
    progress.step(gettext_noop("Evaluating the key-account rules"), 0, 1)
    evaluation = evaluate_and_store()
    progress.step(gettext_noop("Evaluating the key-account rules"), 1, 1)
    return {"accounts_meeting_a_rule": evaluation.hit_count}
