"""The KAM cockpit in figures: one builder (`kam_cockpit`) for the KAM cockpit and the
concentration page, `GET /api/kpis/kam` and `tandem kpis --role kam`, so the three show the same
figures. The JSON of the API and the command is made from its result (`tandem.kam.report`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _

from tandem.core.errors import DomainError
from tandem.core.periods import Period
from tandem.kam.figures import stored
from tandem.kam.kpis import (
    AccountKpis,
    KamKpis,
    LossImpact,
    PortfolioKpis,
    compute,
    kams_in_scope,
    loss_impact,
)
from tandem.users.models import User


class NotComputed(DomainError):
    """The period's KAM figures are not kept (yet): a read does not compute them."""

    def __init__(self, period: Period):
        super().__init__(
            _("The KAM figures of {period} have not been computed yet.").format(period=period.code)
        )


@dataclass
class KamCockpit:
    """The KAM KPIs a user may see for a period: `figures` for the portfolios of `kams`
    (`chosen`: the one KAM asked for), None when the period's figures are not kept (yet),
    and when they were last brought up to date (None: computed for another day on request)."""

    period: Period
    chosen: User | None
    kams: list[User]
    figures: KamKpis | None
    computed_at: datetime.datetime | None

    @cached_property
    def accounts_by_id(self) -> dict[int, AccountKpis]:
        return {row.id: row for row in self.figures.accounts} if self.figures else {}

    def largest_accounts(self, group: PortfolioKpis, limit: int = 3) -> list[LossImpact]:
        """The group's biggest accounts and what losing each would remove from its revenue."""
        return loss_impact(self.accounts_by_id, group, limit)


def kam_cockpit(
    user: User,
    period: Period,
    kam: User | None = None,
    *,
    with_company_revenue: bool = True,
    today: datetime.date | None = None,
) -> KamCockpit:
    """The KAM KPIs `user` may see (PermissionDenied for a sales rep or a KAM they may not see;
    see `kams_in_scope`), read from the kept figures (tandem.kam.figures; a read never
    computes them). The company's total revenue (and the shares of it) only when asked for and
    only for those who see everything. `today` asks for the figures as of another day:
    computed now, for the command and the tests."""
    kams = kams_in_scope(user, kam)
    with_company_revenue = with_company_revenue and user.sees_everything
    figures: KamKpis | None = None
    computed_at = None
    if today is not None:
        figures = compute(kams, period, today, with_company_revenue=with_company_revenue)
    else:
        kept = stored(kams, period, with_company_revenue=with_company_revenue)
        if kept is not None:
            figures, computed_at = kept
    return KamCockpit(
        period=period, chosen=kam, kams=kams, figures=figures, computed_at=computed_at
    )
