"""Which rows `tandem export` writes: what the user may see, through the visibility selectors,
or every row for an operator on the server. The columns and file formats are in
tandem.core.exports, shared with every list of the web and the API."""

from typing import Any

from django.db.models import QuerySet

from tandem.accounts.models import Account, Contact
from tandem.accounts.selectors import visible_accounts, visible_contacts
from tandem.activities.models import Activity
from tandem.activities.selectors import visible_activities
from tandem.catalog.models import Product
from tandem.catalog.selectors import visible_products
from tandem.core.exports import get_entity
from tandem.pipeline.models import Deal, StageChange
from tandem.pipeline.selectors import visible_deals, visible_stage_changes
from tandem.revenue.models import RevenueLine
from tandem.revenue.selectors import visible_revenue_lines


def visible_queryset(entity: str, user: Any) -> QuerySet:
    """The rows of `entity` that `user` may see, through the visibility selectors."""
    selectors = {
        "accounts": visible_accounts,
        "contacts": visible_contacts,
        "deals": visible_deals,
        "activities": visible_activities,
        "products": visible_products,
        "revenue": visible_revenue_lines,
        "stage_changes": visible_stage_changes,
    }
    get_entity(entity)
    return selectors[entity](user)


def all_rows_queryset(entity: str) -> QuerySet:
    """Every row of `entity`, for an operator on the server (no user scope)."""
    models = {
        "accounts": Account,
        "contacts": Contact,
        "deals": Deal,
        "activities": Activity,
        "products": Product,
        "revenue": RevenueLine,
        "stage_changes": StageChange,
    }
    get_entity(entity)
    return models[entity].objects.all()
