"""What the insights add to the account page: how many there are about the account."""

from tandem.insights.selectors import filter_posts, visible_posts


def account_insight_count(user, account, page: dict) -> dict:
    return {"insight_count": filter_posts(visible_posts(user), account=account).count()}
