"""`tandem check --deploy`: what several web nodes and workers must share (docs/operations.md)."""

import os

from django.conf import settings
from django.core.checks import Warning


def secret_key_from_the_environment(app_configs, **kwargs) -> list[Warning]:
    """A key generated into the data folder is this machine's own: a second web node would make
    another, and a user sent to it would be logged out."""
    if os.environ.get("TANDEM_SECRET_KEY"):
        return []
    return [
        Warning(
            "TANDEM_SECRET_KEY is not set: the secret key was generated into this machine's "
            "data folder.",
            hint="Set TANDEM_SECRET_KEY, to the same value on every web node and worker.",
            id="tandem.W001",
        )
    ]


def shared_cache_with_a_broker(app_configs, **kwargs) -> list[Warning]:
    """A broker means workers on other machines; without TANDEM_CACHE_URL the shared cache (a
    job's progress, when a token was last used) stays in this machine's data folder."""
    if not settings.BROKER_URL or settings.CACHE_URL:
        return []
    return [
        Warning(
            "TANDEM_BROKER_URL is set but TANDEM_CACHE_URL is not: the shared cache is a folder "
            "on this machine, which the other web nodes and workers do not see.",
            hint="Set TANDEM_CACHE_URL=redis://… on every web node and worker.",
            id="tandem.W002",
        )
    ]
