"""Demo rows of the apps built on top of the core demo (plans, insights, pay, hiring …).

Each app's demo rows are built by `tandem/demo/<app>.py`, whose `build_demo(today) ->
dict[str, int]` runs after the core demo, in the order below, in one transaction. `delete_demo`
deletes every row that points at a demo user or account; an app whose demo rows point at
neither (company-wide settings) removes them in its own `delete_demo()`, called first.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tandem.demo import accountplans, coaching, compensation, hiring, insights, renewals

# Built in this order; row ids, and so the demo, stay the same from run to run.
DEMO_MODULES = [renewals, accountplans, insights, compensation, hiring, coaching]


# How `tandem demo` names each app's counts (an unknown key is shown as it is).
LABELS = {
    "renewal_outcomes": _("renewal outcomes"),
    "renewal_links": _("renewed contracts linked"),
    "account_plans": _("account plans"),
    "plan_actions": _("plan actions"),
    "plan_reviews": _("plan reviews"),
    "insights": _("insights"),
    "announcements": _("announcements"),
    "compensation_plans": _("compensation plans"),
    "salary_bands_added": _("salary bands"),
    "positions": _("open positions"),
    "candidates": _("candidates"),
    "interview_scores": _("interview scores"),
    "onboarding_plans": _("onboarding plans"),
    "coaching_notes": _("coaching notes"),
    "development_goals": _("development goals"),
}


def describe(counts: dict[str, int]) -> list[tuple[int, str]]:
    """(count, label) of every count above zero, in the order the apps built them."""
    return [(n, str(LABELS.get(key, key.replace("_", " ")))) for key, n in counts.items() if n]


@transaction.atomic
def build_extensions(today: datetime.date) -> dict[str, int]:
    counts: dict[str, int] = {}
    for module in DEMO_MODULES:
        counts.update(module.build_demo(today))
    return counts


def delete_extensions() -> None:
    for module in DEMO_MODULES:
        if hasattr(module, "delete_demo"):
            module.delete_demo()
