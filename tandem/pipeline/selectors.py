"""Reads of deals, scoped: own deals, the team's for a Sales Manager, a KAM's accounts' deals."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from tandem.accounts.selectors import visible_account_ids
from tandem.pipeline.models import Deal, Stage, StageChange
from tandem.users.models import Role, User
from tandem.users.selectors import managed_user_ids


def visible_deals(user: User) -> QuerySet[Deal]:
    if user.sees_everything:
        return Deal.objects.all()
    condition = Q(owner_id__in=managed_user_ids(user))
    if user.role == Role.KEY_ACCOUNT_MANAGER:
        condition |= Q(account_id__in=visible_account_ids(user))
    return Deal.objects.filter(condition)


def get_deal_for(user: User, pk: int) -> Deal:
    return get_object_or_404(visible_deals(user), pk=pk)


def visible_stage_changes(user: User) -> QuerySet[StageChange]:
    return StageChange.objects.filter(deal__in=visible_deals(user))


def pipeline_stages() -> QuerySet[Stage]:
    return Stage.objects.order_by("position")
