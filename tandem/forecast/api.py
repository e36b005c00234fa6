"""REST endpoint for the forecast: the same numbers as the forecast page, for the deals the
caller may see (Sales Managers, Head of Sales, admins)."""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tandem.core.api.errors import ERROR_RESPONSES
from tandem.core.validation import Day
from tandem.forecast.models import ForecastCategory
from tandem.forecast.selectors import forecast_overview, may_see_forecast
from tandem.forecast.services import set_forecast_category
from tandem.pipeline.selectors import get_deal_for

forecast_router = Router()


class ForecastSchema(Schema):
    period: str = Field(description="`2017-04` for a month, `2017Q2` for a quarter.")
    as_of: datetime.date = Field(description="Forecast with what was known at the start of it.")
    closed: float = Field(description="Won value closed in the period before `as_of`.")
    forecast: float = Field(description="Tandem's forecast of won value in the period.")
    low: float = Field(description="Lower end of the 80 % interval.")
    high: float = Field(description="Upper end of the 80 % interval.")
    weighted_pipeline: float = Field(description="Closed + open deals × stage probability.")
    win_rate_pipeline: float = Field(description="Closed + open deals × win rate so far.")
    last_period: float = Field(description="Won value of the last complete period.")


class BacktestPeriodSchema(ForecastSchema):
    actual: float = Field(description="Won value that closed in the period.")
    inside: bool = Field(description="Whether the actual fell inside the interval.")


class BacktestSchema(Schema):
    period_kind: str
    periods: list[BacktestPeriodSchema]
    mape_forecast: float | None
    mape_weighted_pipeline: float | None
    mape_win_rate_pipeline: float | None
    mape_last_period: float | None
    interval_coverage: float | None


class CategoryTotalSchema(Schema):
    category: ForecastCategory
    rep_deals: int = Field(description="Open deals expected this period, as the owners call them.")
    rep_value: float
    adjusted_deals: int = Field(description="The same after the managers' adjustments.")
    adjusted_value: float


class ScopeForecastSchema(Schema):
    current: ForecastSchema
    next: ForecastSchema
    categories: list[CategoryTotalSchema]


class DealCategorySchema(Schema):
    category: ForecastCategory


class DealForecastSchema(Schema):
    deal: int
    category: ForecastCategory = Field(description="The category that counts.")
    rep_category: ForecastCategory = Field(description="As the owner set it.")
    manager_category: ForecastCategory | None = Field(description="A manager's adjustment.")


class TeamForecastSchema(ScopeForecastSchema):
    team: int
    team_name: str


class ForecastOverviewSchema(Schema):
    kind: str
    as_of: datetime.date
    scope: ScopeForecastSchema = Field(description="Everything the caller may see.")
    teams: list[TeamForecastSchema]
    backtest: BacktestSchema = Field(description="Past periods of the caller's scope.")


class ForecastParamsSchema(Schema):
    kind: Literal["month", "quarter"] = "month"
    as_of: Day | None = Field(None, description="Today when left out.")


@forecast_router.get(
    "", response={200: ForecastOverviewSchema, **ERROR_RESPONSES}, summary="Forecast and backtest"
)
def read_forecast(request: HttpRequest, params: Query[ForecastParamsSchema]):
    if not may_see_forecast(request.auth):
        raise PermissionDenied
    data = forecast_overview(request.auth, params.kind, params.as_of)
    return {
        "kind": data["kind"],
        "as_of": data["as_of"],
        "scope": {
            "current": data["scope"]["current"].as_dict(),
            "next": data["scope"]["next"].as_dict(),
            "categories": data["scope"]["categories"],
        },
        "teams": [
            {
                "team": item["team"].pk,
                "team_name": item["team"].name,
                "current": item["current"].as_dict(),
                "next": item["next"].as_dict(),
                "categories": item["categories"],
            }
            for item in data["teams"]
        ],
        "backtest": data["scope"]["backtest"],
    }


@forecast_router.put(
    "/deals/{deal_id}/category",
    response={200: DealForecastSchema, **ERROR_RESPONSES},
    summary="Set or adjust a deal's forecast category",
)
def put_deal_category(request: HttpRequest, deal_id: int, payload: DealCategorySchema):
    """The owner sets the category; their manager (or the Head of Sales, an admin) adjusts it.
    Both are kept in the deal's audit trail."""
    deal = get_deal_for(request.auth, deal_id)
    forecast = set_forecast_category(deal, payload.category, acting_user=request.auth)
    return {
        "deal": deal.pk,
        "category": forecast.category,
        "rep_category": forecast.rep_category,
        "manager_category": forecast.manager_category or None,
    }
