from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    """Separation of duties: a change to one's own pay waits for a second person."""

    name = "tandem.approvals"
    verbose_name = _("Approvals")
