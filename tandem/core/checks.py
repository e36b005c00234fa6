"""`tandem check --deploy`: what several web nodes must share (docs/operations.md)."""

import os

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
