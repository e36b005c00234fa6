"""The key-account wing's background work: the rules evaluated for every account and the
figures of every KAM for the year, kept for the day."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tandem.core.periods import Period, PeriodKind
from tandem.jobs.registry import job
from tandem.kam.kpis import every_kam, stored_compute
from tandem.keyaccounts.selectors import evaluate_and_store


@job("keyaccounts.refresh", _("Key-account rules and KAM figures"), timeout=3600, attempts=3)
def refresh(progress) -> dict:
    progress.step(gettext_noop("Evaluating the key-account rules"), 0, 3)
    evaluation = evaluate_and_store()
    kams = list(every_kam())
    period = Period.containing(timezone.localdate(), PeriodKind.YEAR)
    for done, with_company_revenue in enumerate((False, True), start=1):
        progress.step(gettext_noop("Computing every KAM's figures"), done, 3)
        stored_compute(kams, period, with_company_revenue=with_company_revenue, refresh=True)
    progress.step(gettext_noop("Computing every KAM's figures"), 3, 3)
    return {
        "accounts_meeting_a_rule": evaluation.hit_count,
        "kams": len(kams),
        "period": str(period),
    }
