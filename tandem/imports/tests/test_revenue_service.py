import datetime
from decimal import Decimal

from tandem.revenue.models import RevenueLine
from tandem.revenue.services import upsert_revenue_lines
from testsupport.builders import make_account, make_product


def test_upsert_inserts_replaces_and_leaves_equal_rows_alone(org):
    account = make_account(org.alice)
    first, second = make_product("A"), make_product("B")
    day = datetime.date(2011, 3, 1)
    rows = [
        (account.pk, first.pk, day, Decimal(3), Decimal("12.30")),
        (account.pk, second.pk, day, Decimal(1), Decimal("-4.00")),
    ]
    assert upsert_revenue_lines(rows) == 2
    assert upsert_revenue_lines(rows) == 0
    assert upsert_revenue_lines([(account.pk, first.pk, day, Decimal(3), Decimal("12.31"))]) == 1
    got = dict(RevenueLine.objects.values_list("product__code", "amount"))
    assert got == {"A": Decimal("12.31"), "B": Decimal("-4.00")}
    assert RevenueLine.objects.count() == 2
