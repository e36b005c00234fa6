import pytest

from tandem.accounts.models import Sector, Tier
from testsupport.builders import make_account, make_deal, make_product, make_revenue_line


@pytest.fixture
def world(org):
    """alice's account (retail) and bob's (energy) with deals; kim's key account
    (manufacturing) buying product P; product Q on bob's deal; product R nobody has."""
    sectors = {s.code: s for s in Sector.objects.all()}
    p, q, r = make_product("P", name="Product P"), make_product("Q"), make_product("R")
    alices = make_account(org.alice, name="Alpha Retail", sector=sectors["retail"])
    bobs = make_account(org.bob, name="Bravo Energy", sector=sectors["energy"])
    kims = make_account(
        org.kim, name="Kilo Machines", tier=Tier.KEY_ACCOUNT, sector=sectors["manufacturing"]
    )
    make_deal(org.alice, alices)
    make_deal(org.bob, bobs, product=q)
    make_revenue_line(kims, p)
    return {
        "alices": alices,
        "bobs": bobs,
        "kims": kims,
        "P": p,
        "Q": q,
        "R": r,
        **sectors,
    }
