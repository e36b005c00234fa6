"""The handover list's filters and orderings: the handovers page, the API and the export all
filter through these (tandem/core/filters.py)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from tandem.core.filters import IdFilter, ListFilterSet
from tandem.keyaccounts.models import Handover, HandoverStatus


class HandoverFilterSet(ListFilterSet):
    """The handovers one sees (visible_handovers), newest first unless told otherwise."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=HandoverStatus.choices, empty_label=_("All statuses")
    )
    account = IdFilter(field_name="account_id", label=_("Account"))

    orderings = {
        "created_at": ("created_at",),
        "submitted_at": ("submitted_at",),
        "decided_at": ("decided_at",),
        "account": ("account__name", "-created_at"),
        "status": ("status", "-created_at"),
        "id": ("pk",),
    }
    default_ordering = "-created_at"
    shown = ("status",)

    descriptions = {
        "status": "proposed, submitted, accepted, rejected or withdrawn.",
        "account": "Id of the account.",
    }

    class Meta:
        model = Handover
        fields: list[str] = []
