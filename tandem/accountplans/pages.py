"""What the account plans add to other pages: a key account's plan and QBR pack on the account
page, the key accounts without a plan on the conflicts page."""

from django.utils import timezone

from tandem.accountplans.selectors import (
    key_accounts_without_plan,
    visible_key_accounts,
    visible_plans,
)
from tandem.accountplans.services import can_edit_plan
from tandem.accounts.models import Tier


def account_plan_links(user, account, page: dict) -> dict:
    """This year's plan and whether the user may open or start it (None for other accounts)."""
    if account.tier != Tier.KEY_ACCOUNT:
        return {"key_account": None}
    year = timezone.localdate().year
    sees_plans = visible_key_accounts(user).filter(pk=account.pk).exists()
    return {
        "key_account": {
            "year": year,
            "sees_plans": sees_plans,
            "plan": visible_plans(user).filter(account=account, year=year).first()
            if sees_plans
            else None,
            "may_plan": can_edit_plan(user, account),
        }
    }


def missing_plans(user, _nothing, page: dict) -> dict:
    """The key accounts the user sees that have no plan for this year."""
    year = timezone.localdate().year
    return {"plan_year": year, "without_plan": list(key_accounts_without_plan(user, year))}
