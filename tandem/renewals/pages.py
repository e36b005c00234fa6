"""What the renewals add to the account page: whether the user may record renewal outcomes."""

from tandem.renewals.selectors import can_record_outcome


def account_renewals(user, account, page: dict) -> dict:
    contracts = page["contracts"]
    # outcomes are decided per account: the first contract answers for all of them
    return {"may_record_outcomes": bool(contracts) and can_record_outcome(user, contracts[0])}
