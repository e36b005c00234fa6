"""The deal page's extensions, and what the pipeline shows on the account page."""

from django.db.models import F

from tandem.core.pages import PageExtensions
from tandem.pipeline.selectors import visible_deals

deal_page = PageExtensions()


def account_deals(user, account, page: dict) -> dict:
    """Every deal of the account the user may see, newest close first, open ones on top."""
    deals = (
        visible_deals(user)
        .filter(account=account)
        .select_related("stage", "owner", "product")
        .order_by(
            F("closed_on").desc(nulls_first=True),
            F("expected_close_on").desc(nulls_last=True),
            "-pk",
        )
    )
    return {"deals": deals}
