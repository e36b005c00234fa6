"""The KAM KPI report as plain JSON values: what `tandem kpis --role kam --format json` prints
and `GET /api/kpis/kam` answers (the same function, so both always agree). Keys as in
docs/kam-kpis.md."""

from __future__ import annotations

import datetime

from tandem.core.periods import Period
from tandem.kam.cockpit import NotComputed, kam_cockpit
from tandem.kam.kpis import AccountKpis, KamKpis, PortfolioKpis, loss_impact
from tandem.kpis.report import plain
from tandem.users.models import User


def _years(values: dict) -> dict:
    return {str(year): value for year, value in values.items()}


def _losses(group: PortfolioKpis, accounts: dict[int, AccountKpis]) -> list[dict]:
    return [
        {"account": loss.account.id, "name": loss.account.name, "share": loss.share}
        for loss in loss_impact(accounts, group)
    ]


def report_from(result: KamKpis) -> dict:
    """The JSON shape of computed KAM KPIs."""
    window = result.window
    by_id = {row.id: row for row in result.accounts}
    company = {
        **result.company.figures(),
        "revenue_by_year": _years(result.company.revenue_by_year),
        "largest_accounts": _losses(result.company, by_id),
    }
    kams = [
        {
            "kam": group.kam.username,
            "name": group.kam.get_full_name() or group.kam.username,
            **group.figures(),
            "revenue_by_year": _years(group.revenue_by_year),
            "largest_accounts": _losses(group, by_id),
        }
        for group in result.per_kam
    ]
    accounts = [
        {
            "account": row.id,
            "name": row.name,
            "kam": row.kam.username,
            **row.figures(),
            "revenue_by_year": _years(row.revenue_by_year),
        }
        for row in result.accounts
    ]
    # a Herfindahl index of thousands of accounts is a small number: 6 decimals
    return plain(
        {
            "period": window.period.code,
            "start": window.start,
            "end": window.end,
            "prior_year": {"start": window.prior_start, "end": window.prior_end},
            "key_account_churn": result.churn,
            "expected_lifetime_years": result.lifetime_years,
            "company_revenue": result.company_revenue,
            "company": company,
            "kams": kams,
            "accounts": accounts,
        },
        ratio_places=6,
    )


def kam_report_json(
    user: User, period: Period, kam: User | None = None, today: datetime.date | None = None
) -> dict:
    """The KAM KPIs `user` may see (`kam_cockpit`; PermissionDenied for a sales rep or a KAM
    they may not see; NotComputed for a period whose figures are not kept yet): `company`
    (every portfolio in the report), `kams` and `accounts`. The company's total revenue (and
    the shares of it) only for those who see everything (Head of Sales, admins)."""
    cockpit = kam_cockpit(user, period, kam, today=today)
    if cockpit.figures is None:
        raise NotComputed(period)
    return report_from(cockpit.figures)
