"""change_account_tier (tandem/accounts/services.py), added for the handover."""

import pytest

from tandem.accounts.models import Tier
from tandem.accounts.services import change_account_tier
from tandem.audit.selectors import history_of
from tandem.core.errors import DomainError
from testsupport.builders import make_account


def test_tier_change_is_audited_once(org):
    account = make_account(org.alice)
    change_account_tier(account, Tier.KEY_ACCOUNT, acting_user=org.hanna)
    change_account_tier(account, Tier.KEY_ACCOUNT, acting_user=org.hanna)
    account.refresh_from_db()
    assert account.tier == Tier.KEY_ACCOUNT
    events = list(history_of(account).filter(action="account.tier_changed"))
    assert len(events) == 1
    assert events[0].changes == {"tier": ["standard", "key"]}
    assert events[0].actor == org.hanna


def test_unknown_tier_is_refused(org):
    account = make_account(org.alice)
    with pytest.raises(DomainError):
        change_account_tier(account, "gold", acting_user=org.hanna)
