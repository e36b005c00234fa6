"""Demo rows of the apps built on top of the core demo (plans, insights, pay, hiring …).

Each such app has `tandem/<app>/demo.py` with `build_demo(today) -> dict[str, int]`; they run
after the core demo, in this order, in one transaction. Removing the demo needs nothing extra:
`delete_demo` deletes every row that points at a demo user or account.
"""

import datetime
from importlib import import_module
from importlib.util import find_spec

from django.db import transaction

APPS = [
    "tandem.renewals",
    "tandem.accountplans",
    "tandem.portfolio",
    "tandem.insights",
    "tandem.compensation",
    "tandem.hiring",
    "tandem.coaching",
]


@transaction.atomic
def build_extensions(today: datetime.date) -> dict[str, int]:
    counts: dict[str, int] = {}
    for app in APPS:
        if find_spec(f"{app}.demo") is None:
            continue
        counts.update(import_module(f"{app}.demo").build_demo(today))
    return counts
