"""REST endpoints for the forecast: the same numbers as the forecast page, for the deals the
caller may see (Sales Managers, Head of Sales, admins). A read never learns a forecast: it
answers with what is kept, and a POST asks for the day's (a job to follow)."""

import datetime
import uuid
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from tandem.core.api.errors import ERROR_RESPONSES
from tandem.core.validation import Day
from tandem.forecast.models import ForecastCategory
from tandem.forecast.selectors import (
    forecast_overview,
    forecast_teams,
    learning,
    may_see_forecast,
)
from tandem.forecast.services import ask_to_learn, set_forecast_category
from tandem.jobs.api import JobSchema
from tandem.jobs.selectors import job_state
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
    current: ForecastSchema | None = Field(description="None while none is kept (a team).")
    next: ForecastSchema | None
    categories: list[CategoryTotalSchema] = Field(description="Read now, never kept.")
    learned_as_of: datetime.date | None = Field(
        description="The day the kept forecast is as of: `as_of`, or an earlier day while the"
        " forecast as of `as_of` is not learned yet."
    )
    learned_at: datetime.datetime | None = Field(description="When it was learned.")
    up_to_date: bool = Field(
        description="It is the forecast as of `as_of` and the history before that day has not"
        " changed since it was learned."
    )


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
    up_to_date: bool = Field(description="The scope's and every team's are `up_to_date`.")
    job: uuid.UUID | None = Field(
        description="While not up to date: the job learning the day's, if one waits or runs"
        " (GET /api/jobs/{id})."
    )


class ForecastNotLearnedSchema(Schema):
    status: Literal["not_learned"] = "not_learned"
    kind: str
    as_of: datetime.date
    detail: str = Field(description="In the caller's language.")
    job: uuid.UUID | None = Field(
        description="The job learning it, if one waits or runs (GET /api/jobs/{id}); else ask"
        " for one: POST /api/forecast/learn."
    )


class ForecastParamsSchema(Schema):
    kind: Literal["month", "quarter"] = "month"
    as_of: Day | None = Field(None, description="Today when left out.")


def _scope(kept, categories) -> dict:
    return {
        "current": kept.current.as_dict() if kept else None,
        "next": kept.next.as_dict() if kept else None,
        "categories": categories,
        "learned_as_of": kept.as_of if kept else None,
        "learned_at": kept.learned_at if kept else None,
        "up_to_date": bool(kept and kept.up_to_date),
    }


@forecast_router.get(
    "",
    response={200: ForecastOverviewSchema, 202: ForecastNotLearnedSchema, **ERROR_RESPONSES},
    summary="Forecast and backtest, as kept",
)
def read_forecast(request: HttpRequest, params: Query[ForecastParamsSchema]):
    """What is kept, never learned in the request (learning takes up to minutes for a large
    company): the day's work learns the company's and every team's forecast each night; any
    other, or another day's, is learned when asked for (POST /api/forecast/learn).

    200: the kept forecast of the caller's scope, the day's or, until that is learned, the
    most recent one before it (`scope.learned_as_of`, `scope.learned_at`, `up_to_date`).
    202: none is kept for the caller's scope yet (`status` "not_learned"), with the job that
    learns it when one waits or runs."""
    if not may_see_forecast(request.auth):
        raise PermissionDenied
    as_of = params.as_of or timezone.localdate()
    data = forecast_overview(request.auth, params.kind, as_of)
    job = None if data["up_to_date"] else learning(request.auth, params.kind, as_of)
    kept = data["scope"]["kept"]
    if kept is None:
        return Status(
            202,
            {
                "kind": data["kind"],
                "as_of": as_of,
                "detail": _("The forecast is not learned yet."),
                "job": job.pk if job else None,
            },
        )
    return {
        "kind": data["kind"],
        "as_of": data["as_of"],
        "scope": _scope(kept, data["scope"]["categories"]),
        "teams": [
            {
                "team": item["team"].pk,
                "team_name": item["team"].name,
                **_scope(item["kept"], item["categories"]),
            }
            for item in data["teams"]
        ],
        "backtest": kept.backtest,
        "up_to_date": data["up_to_date"],
        "job": job.pk if job else None,
    }


@forecast_router.post(
    "/learn",
    response={202: JobSchema, **ERROR_RESPONSES},
    summary="Ask for the day's forecast to be learned",
)
def learn_forecast(request: HttpRequest, params: Query[ForecastParamsSchema]):
    """Learns the forecast of the caller's scope and of each of their teams as of the day, in
    a job (202 with it: follow GET /api/jobs/{id}); then GET /api/forecast has them. A job of
    the caller's that waits or runs for the same already is the answer."""
    if not may_see_forecast(request.auth):
        raise PermissionDenied
    as_of = params.as_of or timezone.localdate()
    teams = list(forecast_teams(request.auth).values_list("pk", flat=True))
    job = ask_to_learn(request.auth, params.kind, as_of, [None, *teams])
    return Status(202, job_state(job))


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
