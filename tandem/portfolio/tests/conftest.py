import datetime
from decimal import Decimal

import pytest

from tandem.accounts.models import Sector, Tier
from tandem.portfolio.selectors import Window
from tandem.users.models import Role
from testsupport.builders import make_account, make_deal, make_product, make_revenue_line, make_user

TODAY = datetime.date(2026, 5, 20)
WINDOW = Window(datetime.date(2025, 5, 21), TODAY)


def buy(account, product, amount, day=datetime.date(2026, 2, 1)):
    return make_revenue_line(account, product, amount=Decimal(amount), invoiced_on=day)


def key_account(owner, name, **fields):
    return make_account(owner, name=name, tier=Tier.KEY_ACCOUNT, **fields)


def won_deal(owner, account, product, value, closed_on=datetime.date(2026, 3, 1)):
    return make_deal(
        owner, account, stage_code="won", product=product, value=Decimal(value), closed_on=closed_on
    )


@pytest.fixture
def catalog(db):
    return {code: make_product(code, name=f"Product {code}") for code in "ABCDEFG"}


@pytest.fixture
def sectors(db):
    return {s.code: s for s in Sector.objects.all()}


@pytest.fixture
def portfolio(org, catalog, sectors):
    """kim's key accounts (k1, k2) and one of a second KAM's (z1) with what they buy; alice's
    standard account (s1)."""

    zoe = make_user("zoe", Role.KEY_ACCOUNT_MANAGER)
    k1 = key_account(org.kim, "Kappa One", sector=sectors["manufacturing"])
    k2 = key_account(org.kim, "Kappa Two", sector=sectors["retail"])
    z1 = key_account(zoe, "Zeta One", sector=sectors["manufacturing"])
    s1 = make_account(org.alice, name="Standard One", sector=sectors["retail"])
    buy(k1, catalog["A"], 1000)
    buy(k1, catalog["A"], 500, datetime.date(2026, 4, 1))
    buy(k1, catalog["B"], 300)
    buy(k2, catalog["B"], 700)
    buy(z1, catalog["C"], 900)
    buy(s1, catalog["A"], 50)
    return {"zoe": zoe, "k1": k1, "k2": k2, "z1": z1, "s1": s1}
