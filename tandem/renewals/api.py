"""REST endpoints of renewals: upcoming renewals with their risk, recording an outcome, and
renewal rates per KAM. Reads go through the renewal selectors and writes through the renewal
service, so the API refuses what the pages refuse, with the same messages."""

import datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from tandem.core.api.errors import ERROR_RESPONSES, FieldError
from tandem.core.api.listing import page_of, page_schema
from tandem.core.errors import DomainError
from tandem.core.filters import filtered_for_api, query_schema
from tandem.core.periods import Period, PeriodKind
from tandem.core.validation import Day, Line, Text
from tandem.renewals.filters import RenewalFilterSet
from tandem.renewals.selectors import (
    active_contracts,
    get_contract_for,
    notice_date,
    renewal_rates,
    renewal_risks,
)
from tandem.renewals.services import NOTE_MAX_LENGTH, record_outcome

router = Router()


class SignalSchema(Schema):
    code: str = Field(
        description="no_decision_maker_contact, revenue_falling, champion_gone, notice_close, "
        "notice_passed, ends_without_renewal or lost_renewal_deals"
    )
    weight: int = Field(description="Points this signal adds to the score.")
    text: str = Field(description="The signal in words, in the caller's language.")


class RenewalSchema(Schema):
    contract: int
    name: str
    account: int
    account_name: str
    owner: int
    start_on: datetime.date
    end_on: datetime.date
    notice_on: datetime.date = Field(description="Last day to give notice: end − notice period.")
    annual_value: Decimal
    renewal_terms: str
    score: int = Field(description="Renewal risk 0–100: the sum of the signals' weights.")
    level: Literal["low", "medium", "high"]
    signals: list[SignalSchema]


RenewalPageSchema = page_schema(RenewalSchema)


def _renewal(risk) -> dict:
    contract = risk.contract
    return {
        "contract": contract.pk,
        "name": contract.name,
        "account": contract.account_id,
        "account_name": contract.account.name,
        "owner": contract.account.owner_id,
        "start_on": contract.start_on,
        "end_on": contract.end_on,
        "notice_on": notice_date(contract),
        "annual_value": contract.annual_value,
        "renewal_terms": contract.renewal_terms,
        "score": risk.score,
        "level": risk.level,
        "signals": [{"code": f.code, "weight": f.weight, "text": f.text} for f in risk.factors],
    }


@router.get(
    "/upcoming",
    response={200: RenewalPageSchema, **ERROR_RESPONSES},
    summary="Visible active contracts ending within N days (and ended ones without an "
    "outcome), soonest first unless ordered otherwise, with their renewal risk",
)
def list_upcoming(request: HttpRequest, filters: Query[query_schema(RenewalFilterSet)]):
    contracts = active_contracts(request.auth)
    contracts, _ordering = filtered_for_api(RenewalFilterSet, filters, contracts, request.auth)
    page = page_of(contracts, filters)
    page["items"] = [_renewal(risk) for risk in renewal_risks(page["items"], timezone.localdate())]
    return page


class OutcomeSchema(Schema):
    outcome: Literal["renewed", "expanded", "reduced", "churned"]
    new_annual_value: Decimal | None = Field(
        None, ge=0, max_digits=14, decimal_places=2, description="Required for expanded/reduced."
    )
    new_end_on: Day | None = Field(
        None, description="End of the follow-on contract; default: as long as the current term."
    )
    note: Text = Field("", max_length=NOTE_MAX_LENGTH, description="Required for churned.")


class ContractSchema(Schema):
    id: int
    name: str
    account: int = Field(alias="account_id")
    start_on: datetime.date
    end_on: datetime.date
    annual_value: Decimal
    status: str
    renewal_of: int | None = Field(alias="renewal_of_id")
    outcome_note: str


class OutcomeResultSchema(Schema):
    contract: ContractSchema = Field(description="The contract with its outcome recorded.")
    successor: ContractSchema | None = Field(
        description="The follow-on contract (renewed, expanded, reduced)."
    )


@router.post(
    "/contracts/{contract_id}/outcome",
    response={200: OutcomeResultSchema, **ERROR_RESPONSES},
    summary="Record a contract's renewal outcome: renewed, expanded, reduced or churned",
)
def post_outcome(request: HttpRequest, contract_id: int, payload: OutcomeSchema):
    contract = get_contract_for(request.auth, contract_id)  # 404 unless visible
    result = record_outcome(
        contract,
        payload.outcome,
        acting_user=request.auth,
        **payload.model_dump(exclude={"outcome"}),
    )
    contract.refresh_from_db()
    return {"contract": contract, "successor": result if result.pk != contract.pk else None}


class RateSchema(Schema):
    due: int = Field(description="Contracts whose term ended in the period.")
    renewed: int
    expanded: int
    reduced: int
    churned: int
    pending: int = Field(description="Ended in the period, outcome not recorded.")
    renewal_rate: float | None = Field(
        description="(renewed + expanded + reduced) / (those + churned), 0–1; null without "
        "outcomes."
    )


class KamRateSchema(RateSchema):
    kam: int
    name: str


class RatesSchema(Schema):
    period: str
    start: datetime.date
    end: datetime.date
    kams: list[KamRateSchema]
    total: RateSchema = Field(description="Every visible contract, whoever owns the account.")


class RatesParams(Schema):
    period: Line | None = Field(
        None, description="2026Q3, 2026-05 or 2026; default: the current year."
    )


@router.get(
    "/rates",
    response={200: RatesSchema, **ERROR_RESPONSES},
    summary="Renewal rate per KAM for the contracts ending in a period",
)
def list_rates(request: HttpRequest, params: Query[RatesParams]):
    if params.period:
        try:
            period = Period.parse(params.period)
        except DomainError as error:
            raise FieldError("period", error.message, source="query") from error
    else:
        period = Period.containing(timezone.localdate(), PeriodKind.YEAR)
    found = renewal_rates(request.auth, period.start, period.end)
    return {
        "period": period.code,
        "start": period.start,
        "end": period.end,
        "kams": [
            {"kam": row.owner.pk, "name": str(row.owner), **row.as_dict()} for row in found["rows"]
        ],
        "total": found["total"].as_dict(),
    }
