"""Demo rows of the apps built on top of the core demo (plans, insights, pay, hiring …).

Each such app has `tandem/<app>/demo.py` with `build_demo(today) -> dict[str, int]`; they run
after the core demo, in this order, in one transaction. `delete_demo` deletes every row that
points at a demo user or account; an app whose demo rows point at neither (company-wide
settings) removes them in its own `delete_demo()`, called first.
"""

import datetime
from importlib import import_module
from importlib.util import find_spec

from django.db import transaction
from django.utils.translation import gettext_lazy as _

APPS = [
    "tandem.renewals",
    "tandem.accountplans",
    "tandem.portfolio",
    "tandem.insights",
    "tandem.compensation",
    "tandem.hiring",
    "tandem.coaching",
]


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


def _demo_modules():
    for app in APPS:
        if find_spec(f"{app}.demo") is not None:
            yield import_module(f"{app}.demo")


@transaction.atomic
def build_extensions(today: datetime.date) -> dict[str, int]:
    counts: dict[str, int] = {}
    for module in _demo_modules():
        counts.update(module.build_demo(today))
    return counts


def delete_extensions() -> None:
    for module in _demo_modules():
        if hasattr(module, "delete_demo"):
            module.delete_demo()
