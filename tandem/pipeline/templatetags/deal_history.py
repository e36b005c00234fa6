"""The deal page's history: audit actions in words."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

AUDIT_ACTIONS = {
    "deal.created": _("Created"),
    "deal.updated": _("Edited"),
    "deal.owner_changed": _("Owner changed"),
    "deal.stage_changed": _("Stage changed"),
    "deal.account_assigned": _("Account assigned"),
}


@register.filter
def audit_action(action: str) -> str:
    return str(AUDIT_ACTIONS.get(action, action))
