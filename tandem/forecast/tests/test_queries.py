"""The forecast page reads counts, not rows: its number of queries does not grow with deals."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tandem.core.testing import PASSWORD, make_account, make_deal
from tandem.forecast.engine import at_start_of
from tandem.pipeline.models import Stage, StageChange

pytestmark = pytest.mark.django_db


def add_deals(owner, account, count):
    engaging, won = Stage.objects.get(code="engaging"), Stage.objects.get(code="won")
    for index in range(count):
        start = datetime.date(2026, 1, 1) + datetime.timedelta(days=7 * index % 300)
        deal = make_deal(owner, account, "won", value=Decimal("100"))
        StageChange.objects.create(deal=deal, to_stage=engaging, changed_at=at_start_of(start))
        StageChange.objects.create(
            deal=deal,
            from_stage=engaging,
            to_stage=won,
            changed_at=at_start_of(start + datetime.timedelta(days=20)),
        )


def queries_of_page(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/forecast/?as_of=2026-11-15").status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_deals(org):
    account = make_account(org.alice, "Hansa Logistik GmbH")
    add_deals(org.alice, account, 3)
    few = queries_of_page(org.mona)
    add_deals(org.alice, account, 40)
    add_deals(org.bob, account, 40)
    assert queries_of_page(org.mona) == few
