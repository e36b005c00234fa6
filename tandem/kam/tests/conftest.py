"""The KAM tests' portfolios."""

from decimal import Decimal

import pytest
from django.utils import timezone

from tandem.accounts.models import Tier
from tandem.users.models import Role
from testsupport.builders import make_account, make_product, make_revenue_line, make_user


@pytest.fixture
def portfolios(org):
    """kim: Big (600 this year, 400 a year before) and Small (200); karl: Karl's (1000)."""
    org.karl = make_user("karl", Role.KEY_ACCOUNT_MANAGER, last_name="Zander")
    today = timezone.localdate()
    this_year = today.replace(month=1, day=1)
    last_year = this_year.replace(year=this_year.year - 1)
    product = make_product("WIDGET")
    org.big = make_account(org.kim, name="Big Customer AG", tier=Tier.KEY_ACCOUNT)
    org.small = make_account(org.kim, name="Small Customer GmbH", tier=Tier.KEY_ACCOUNT)
    org.karls = make_account(org.karl, name="Karl's Customer", tier=Tier.KEY_ACCOUNT)
    for account, day, amount in [
        (org.big, this_year, 600),
        (org.big, last_year, 400),
        (org.small, this_year, 200),
        (org.karls, this_year, 1000),
    ]:
        make_revenue_line(account, product, invoiced_on=day, amount=Decimal(amount))
    return org
