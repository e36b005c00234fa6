"""What the whitespace adds to a key account's page: a link for those who may use it."""

from tandem.accounts.models import Tier
from tandem.portfolio.selectors import may_use_whitespace


def account_whitespace_link(user, account, page: dict) -> dict:
    return {"whitespace_link": account.tier == Tier.KEY_ACCOUNT and may_use_whitespace(user)}
