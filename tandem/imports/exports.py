"""Which rows `tandem export` writes: what the user may see, through the visibility selectors,
or every row for an operator on the server, filtered through the list's filter set (the same
one the web page and the API filter with). The columns and file formats are in
tandem.core.exports, shared with every list of the web and the API."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from tandem.accountplans.filters import AccountPlanFilterSet
from tandem.accountplans.models import AccountPlan
from tandem.accountplans.selectors import visible_plans
from tandem.accounts.filters import AccountFilterSet, ContactFilterSet
from tandem.accounts.models import Account, Contact, Contract, ContractStatus
from tandem.accounts.selectors import visible_accounts, visible_contacts
from tandem.activities.filters import ActivityFilterSet
from tandem.activities.models import Activity
from tandem.activities.selectors import visible_activities
from tandem.catalog.filters import ProductFilterSet
from tandem.catalog.models import Product
from tandem.catalog.selectors import visible_products
from tandem.core.exports import ExportError, get_entity
from tandem.core.filters import ListFilterSet
from tandem.hiring.filters import CandidateFilterSet, PositionFilterSet
from tandem.hiring.models import Candidate, Position
from tandem.hiring.selectors import visible_candidates, visible_positions
from tandem.insights.filters import PostFilterSet
from tandem.insights.models import Post
from tandem.insights.selectors import visible_posts
from tandem.keyaccounts.filters import HandoverFilterSet
from tandem.keyaccounts.models import Handover
from tandem.keyaccounts.selectors import visible_handovers
from tandem.people.filters import PersonFilterSet
from tandem.people.selectors import visible_people
from tandem.pipeline.filters import DealFilterSet, StageChangeFilterSet
from tandem.pipeline.models import Deal, StageChange
from tandem.pipeline.selectors import visible_deals, visible_stage_changes
from tandem.quotas.filters import QuotaFilterSet
from tandem.quotas.models import Quota
from tandem.quotas.selectors import visible_quotas
from tandem.renewals.filters import RenewalFilterSet
from tandem.renewals.selectors import active_contracts
from tandem.revenue.filters import RevenueLineFilterSet
from tandem.revenue.models import RevenueLine
from tandem.revenue.selectors import visible_revenue_lines
from tandem.users.models import User
from tandem.users.selectors import default_acting_user


@dataclass(frozen=True)
class ExportedList:
    model: type[Model]
    visible: Callable[[Any], QuerySet]
    filters: type[ListFilterSet]
    every: Callable[[], QuerySet] | None = None  # an operator's rows: all of `model`'s if None


LISTS = {
    "accounts": ExportedList(Account, visible_accounts, AccountFilterSet),
    "contacts": ExportedList(Contact, visible_contacts, ContactFilterSet),
    "deals": ExportedList(Deal, visible_deals, DealFilterSet),
    "activities": ExportedList(Activity, visible_activities, ActivityFilterSet),
    "products": ExportedList(Product, visible_products, ProductFilterSet),
    "revenue": ExportedList(RevenueLine, visible_revenue_lines, RevenueLineFilterSet),
    "stage_changes": ExportedList(StageChange, visible_stage_changes, StageChangeFilterSet),
    "insights": ExportedList(Post, visible_posts, PostFilterSet),
    "people": ExportedList(User, visible_people, PersonFilterSet),
    "hiring_positions": ExportedList(Position, visible_positions, PositionFilterSet),
    "hiring_candidates": ExportedList(Candidate, visible_candidates, CandidateFilterSet),
    "handovers": ExportedList(Handover, visible_handovers, HandoverFilterSet),
    "account_plans": ExportedList(AccountPlan, visible_plans, AccountPlanFilterSet),
    "renewals": ExportedList(
        Contract,
        active_contracts,
        RenewalFilterSet,
        every=lambda: Contract.objects.filter(status=ContractStatus.ACTIVE),
    ),
    "quotas": ExportedList(Quota, visible_quotas, QuotaFilterSet),
}


def visible_queryset(entity: str, user: Any) -> QuerySet:
    """The rows of `entity` that `user` may see, through the visibility selectors."""
    get_entity(entity)
    return LISTS[entity].visible(user)


def all_rows_queryset(entity: str) -> QuerySet:
    """Every row of `entity`, for an operator on the server (no user scope)."""
    get_entity(entity)
    exported = LISTS[entity]
    return exported.every() if exported.every else exported.model.objects.all()


def rows_to_export(entity: str, user: Any | None, filters: list[str] | None = None) -> QuerySet:
    """The rows `tandem export` writes: `user`'s (every row when None), narrowed by `filters`
    ("name=value", as the list's query parameters), in the order of their ids."""
    data = {}
    for pair in filters or []:
        name, sep, value = pair.partition("=")
        if not sep:
            raise ExportError(_("Write a filter as name=value: {pair}").format(pair=pair))
        data[name.strip()] = value.strip()
    return filtered_rows(entity, user, data)


def filtered_rows(
    entity: str, user: Any | None, data: dict[str, str], sort: str | None = None
) -> QuerySet:
    """`user`'s rows of `entity` (every row when None) through the list's filter set with
    `data` (its query parameters), sorted by `sort` as the list sorts them (by id when None):
    what `tandem export` and the web's long exports (tandem/imports/jobs.py) write."""
    rows = visible_queryset(entity, user) if user else all_rows_queryset(entity)
    filter_set_class = LISTS[entity].filters
    unknown = sorted(set(data) - set(filter_set_class.base_filters))
    if unknown:
        raise ExportError(
            _("Unknown filter {names}; {entity} can be filtered by: {choices}.").format(
                names=", ".join(unknown),
                entity=entity,
                choices=", ".join(filter_set_class.base_filters),
            )
        )
    # an operator's export offers the choices of one who sees everything
    chooser = user or default_acting_user()
    filter_set = filter_set_class(data, queryset=rows, user=chooser)
    if not filter_set.is_valid():
        raise ExportError(
            "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in filter_set.errors.items()
            )
        )
    if sort is None:
        return filter_set.qs
    return filter_set.ordered(filter_set.qs, sort)[0]
