"""The KAM KPI report as plain JSON values: what `tandem kpis --role kam --format json` prints
and `GET /api/kpis/kam` answers (the same function, so both always agree). Keys as in
docs/kam-kpis.md."""

from __future__ import annotations

import datetime

from tandem.core.periods import Period
from tandem.kam.kpis import (
    ACCOUNT_KPI_KEYS,
    KAM_KPI_KEYS,
    KamKpis,
    compute,
    is_company_wide,
    kams_in_scope,
    loss_impact,
    stored_compute,
)
from tandem.kpis.report import plain
from tandem.users.models import User


def _years(values: dict) -> dict:
    return {str(year): value for year, value in values.items()}


def _losses(group: dict, names: dict[int, str]) -> list[dict]:
    return [
        {"account": item["id"], "name": item["name"], "share": item["share"]}
        for item in loss_impact(names, group["_shares"])
    ]


def report_from(result: KamKpis) -> dict:
    """The JSON shape of computed KAM KPIs."""
    window = result.window
    company = {key: result.company[key] for key in KAM_KPI_KEYS}
    company["revenue_by_year"] = _years(result.company["revenue_by_year"])
    names = {row["id"]: row["name"] for row in result.accounts}
    company["largest_accounts"] = _losses(result.company, names)
    kams = []
    for group in result.per_kam:
        kam = group["kam"]
        kams.append(
            {
                "kam": kam.username,
                "name": kam.get_full_name() or kam.username,
                **{key: group[key] for key in KAM_KPI_KEYS},
                "revenue_by_year": _years(group["revenue_by_year"]),
                "largest_accounts": _losses(group, names),
            }
        )
    accounts = [
        {
            "account": row["id"],
            "name": row["name"],
            "kam": row["kam"].username,
            **{key: row[key] for key in ACCOUNT_KPI_KEYS},
            "revenue_by_year": _years(row["revenue_by_year"]),
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


# The JSON of the kept company-wide figures, by (period, when computed); callers only read it.
_REPORTS: dict[tuple, dict] = {}


def kam_report_json(
    user: User, period: Period, kam: User | None = None, today: datetime.date | None = None
) -> dict:
    """The KAM KPIs `user` may see (PermissionDenied for a sales rep or a KAM they may not
    see): `company` (every portfolio in the report), `kams` and `accounts`. The company's total
    revenue (and the shares of it) only for those who see everything (Head of Sales, admins)."""
    kams = kams_in_scope(user, kam)
    if is_company_wide(user, kam) and today is None:
        result, computed_at = stored_compute(kams, period, with_company_revenue=True)
        memo = (period.code, computed_at)
        if memo not in _REPORTS:  # once per process and computation (10,000 accounts)
            _REPORTS.clear()
            _REPORTS[memo] = report_from(result)
        return _REPORTS[memo]
    return report_from(compute(kams, period, today, with_company_revenue=user.sees_everything))
