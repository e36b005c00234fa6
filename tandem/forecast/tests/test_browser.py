"""The forecast page in a real Chromium: a Sales Manager opens it and sees the backtest chart."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tandem.forecast.engine import at_start_of, period_containing
from tandem.pipeline.models import Stage, StageChange
from testsupport.browser import log_in
from testsupport.builders import make_account, make_deal

pytestmark = pytest.mark.browser


def deal_with_history(owner, account, engaged: datetime.date, won: datetime.date | None):
    deal = make_deal(
        owner, account, "won" if won else "engaging", value=Decimal("1000"), engaged_on=engaged
    )
    engaging, won_stage = Stage.objects.get(code="engaging"), Stage.objects.get(code="won")
    StageChange.objects.create(deal=deal, to_stage=engaging, changed_at=at_start_of(engaged))
    if won:
        StageChange.objects.create(
            deal=deal, from_stage=engaging, to_stage=won_stage, changed_at=at_start_of(won)
        )
    return deal


def test_a_manager_sees_the_forecast_and_the_backtest_chart(page, org):
    account = make_account(org.alice, "Hansa Logistik GmbH")
    month = period_containing(timezone.localdate())
    for back in range(1, 9):
        start = month.shift(-back).start
        for day in (1, 5, 9):
            deal_with_history(org.alice, account, start + datetime.timedelta(days=day),
                              start + datetime.timedelta(days=day + 12))  # fmt: skip
    deal_with_history(org.alice, account, month.shift(-1).start, None)

    log_in(page, "mona")
    page.goto("/forecast/")
    expect(page.locator("h1")).to_have_text("Forecast")
    expect(page.locator("#forecast-learned")).to_have_attribute("data-state", "none")
    page.click("[data-action=learn]")  # her own people are no team: nobody learned it yet
    expect(page.locator("#forecast-learned")).to_have_attribute("data-state", "up-to-date")
    expect(page.locator("[data-stat=forecast] .stat-value")).not_to_be_empty()
    expect(page.locator("#forecast-chart[data-ready=true] canvas")).to_be_visible()
    expect(page.locator("#backtest-table tbody tr")).to_have_count(12)
    expect(
        page.locator(f"#backtest-table tr[data-period='{month.shift(-1).label}']")
    ).to_contain_text("3,000")
    expect(page.locator("[data-scope]")).to_have_count(2)  # everything she sees, and team North
