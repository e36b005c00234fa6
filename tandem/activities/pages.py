"""What the activities show on the account page and the deal page."""

from tandem.activities.selectors import visible_activities

ACCOUNT_PAGE_ACTIVITIES = 20


def account_activities(user, account, page: dict) -> dict:
    """The account's latest activities the user may see (the full list is one click away)."""
    activities = (
        visible_activities(user)
        .filter(account=account)
        .select_related("owner", "deal")
        .prefetch_related("contacts")[:ACCOUNT_PAGE_ACTIVITIES]
    )
    return {"activities": activities}


def deal_activities(user, deal, page: dict) -> dict:
    activities = (
        visible_activities(user)
        .filter(deal=deal)
        .select_related("owner", "account")
        .prefetch_related("contacts")
    )
    return {"activities": activities}
