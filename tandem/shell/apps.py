from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShellConfig(AppConfig):
    """The top floor: home page, navigation, the API root, server commands and root URLs."""

    name = "tandem.shell"
    verbose_name = _("Shell")
