"""The KAM figures as count tables, written only by the job `kam.refresh_figures`
(tandem.kam.figures) and read by the cockpit, the API and the command.

Per period: one `KamPeriodFigures` (the fill state, and the company-wide values that cannot be
summed from the accounts) and one `KamAccountFigures` per key account, with what `compute`
measures for the account. Everything else (growth, lifetime value, the portfolio and company
KPIs, the shares) is derived from these rows when read, by the same code `compute` uses.
`KamStaleAccount` lists the accounts changed since their rows were computed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 16, "decimal_places": 2}


class KamPeriodFigures(models.Model):
    """The fill state of one period's KAM figures: the day their windows were cut at, when
        every account was last computed (`filled_at`) and when the figures were last brought up to
        date (`computed_at`); and the period's key-account churn and company revenue. A row means
    the period is kept: every key account has its `KamAccountFigures` row."""

    period = models.CharField(_("period"), max_length=20, unique=True)
    day = models.DateField(_("computed for"))
    filled_at = models.DateTimeField(_("every account computed at"))
    computed_at = models.DateTimeField(_("computed at"))
    churn = models.FloatField(null=True)
    company_revenue = models.DecimalField(**MONEY)
    asked = models.BooleanField(default=False)  # kept because an admin asked, not by default

    class Meta:
        verbose_name = _("KAM figures of a period")
        verbose_name_plural = _("KAM figures of periods")

    def __str__(self) -> str:
        return self.period


class KamAccountFigures(models.Model):
    """What `compute` measures for one key account in one period: the revenue windows, the
    cross-selling, the stakeholder coverage gaps and the renewals, as the counts and sums the
    portfolio KPIs are made of. `kam` and `name` are the account's owner and name when
    computed: the rows of one read always agree with each other."""

    period = models.CharField(_("period"), max_length=20)
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    kam = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    revenue = models.DecimalField(**MONEY)
    revenue_prior_year = models.DecimalField(**MONEY)
    trailing_revenue = models.DecimalField(**MONEY)  # the trailing 12 months (lifetime value)
    # the revenue of the period's year and the two before (the horizon)
    revenue_year = models.DecimalField(**MONEY)
    revenue_year_before = models.DecimalField(**MONEY)
    revenue_two_years_before = models.DecimalField(**MONEY)
    # None: a new customer (nothing bought in the 12 months before the period)
    cross_sell_products = models.PositiveIntegerField(null=True)
    cross_sell_revenue = models.DecimalField(**MONEY)
    coverage_gaps = models.JSONField(default=list)  # the gap codes, in coverage_gaps' order
    renewal_risk = models.CharField(max_length=10, null=True)  # noqa: DJ001 (None: no renewal)
    renewal_risk_score = models.PositiveSmallIntegerField(null=True)
    renewals_due = models.PositiveIntegerField(default=0)
    renewals_decided = models.PositiveIntegerField(default=0)
    renewals_kept = models.PositiveIntegerField(default=0)
    high_risks = models.PositiveIntegerField(default=0)
    high_risk_value = models.DecimalField(**MONEY, default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("KAM figures of an account")
        verbose_name_plural = _("KAM figures of accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "account"], name="kam_figures_one_per_account"
            )
        ]
        indexes = [models.Index(fields=["period", "kam"])]

    def __str__(self) -> str:
        return f"{self.period}: {self.name}"


class KamStaleAccount(models.Model):
    """An account whose KAM figures changed since they were computed (its revenue, contacts,
    contracts, deals or key-account status): the next `kam.refresh_figures` recomputes it."""

    account_id = models.BigIntegerField()

    def __str__(self) -> str:
        return str(self.account_id)
