"""The KAM cockpit in figures: one builder (`kam_cockpit`) for the KAM cockpit and the
concentration page, `GET /api/kpis/kam` and `tandem kpis --role kam`, so the three show the same
figures. The JSON of the API and the command is made from its result (`tandem.kam.report`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from tandem.core.periods import Period
from tandem.kam.kpis import (
    AccountKpis,
    KamKpis,
    LossImpact,
    PortfolioKpis,
    compute,
    is_company_wide,
    kams_in_scope,
    loss_impact,
    stored_compute,
)
from tandem.users.models import User


@dataclass
class KamCockpit:
    """The KAM KPIs a user may see for a period: `figures` for the portfolios of `kams`
    (`chosen`: the one KAM asked for), and when they were computed if they are the company-wide
    figures kept for the day (else None)."""

    period: Period
    chosen: User | None
    kams: list[User]
    figures: KamKpis
    computed_at: datetime.datetime | None

    @cached_property
    def accounts_by_id(self) -> dict[int, AccountKpis]:
        return {row.id: row for row in self.figures.accounts}

    def largest_accounts(self, group: PortfolioKpis, limit: int = 3) -> list[LossImpact]:
        """The group's biggest accounts and what losing each would remove from its revenue."""
        return loss_impact(self.accounts_by_id, group, limit)


def kam_cockpit(
    user: User,
    period: Period,
    kam: User | None = None,
    *,
    with_company_revenue: bool = True,
    refresh: bool = False,
    today: datetime.date | None = None,
) -> KamCockpit:
    """The KAM KPIs `user` may see (PermissionDenied for a sales rep or a KAM they may not see;
    see `kams_in_scope`). The company's total revenue (a scan of the period's revenue lines, and
    the shares of it) only when asked for and only for those who see everything. Every KAM at
    once (Head of Sales, admins) is read from the figures kept for the day (`stored_compute`;
    computed again with `refresh`), unless `today` asks for another day."""
    kams = kams_in_scope(user, kam)
    with_company_revenue = with_company_revenue and user.sees_everything
    if is_company_wide(user, kam) and today is None:
        figures, computed_at = stored_compute(
            kams, period, with_company_revenue=with_company_revenue, refresh=refresh
        )
    else:
        figures = compute(kams, period, today, with_company_revenue=with_company_revenue)
        computed_at = None
    return KamCockpit(
        period=period, chosen=kam, kams=kams, figures=figures, computed_at=computed_at
    )
