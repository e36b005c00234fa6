"""Compensation: plans (base and variable pay, weighted components with payout curves) and
salary bands.

A plan belongs to a role (everybody in it) or to one person (overrides the role's plan on the
days it covers). Its amounts are per year; a period gets its pro-rated share. Payouts are not
stored: they are computed from the KPI functions the cockpits use (see selectors.py), so a
statement always shows the numbers the cockpit shows.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import CompanyWide
from tandem.people.payout import PayoutCurve
from tandem.users.models import Role


class Metric(models.TextChoices):
    # Sales side: attainment against the quota of the person's scope (own for a rep, the
    # team's for a Sales Manager), as the sales cockpit computes it.
    WON_VALUE = "won_value", _("Won value against quota")
    DEALS_WON = "deals_won", _("Deals won against quota")
    NEW_CUSTOMERS = "new_customers", _("New customers against quota")
    # KAM side: the KAM cockpit's KPIs on the KAM's accounts, against a target set in the
    # component.
    ACCOUNT_GROWTH = "account_growth", _("Account growth")
    RENEWAL_RATE = "renewal_rate", _("Renewal rate")
    CROSS_SELLING = "cross_selling", _("Cross- and up-selling")


SALES_METRICS = {Metric.WON_VALUE, Metric.DEALS_WON, Metric.NEW_CUSTOMERS}
KAM_METRICS = {Metric.ACCOUNT_GROWTH, Metric.RENEWAL_RATE, Metric.CROSS_SELLING}

# Which metrics a plan for each role may use.
METRICS_BY_ROLE: dict[str, set[Metric]] = {
    Role.SALES_REP: SALES_METRICS,
    Role.SALES_MANAGER: SALES_METRICS,
    Role.HEAD_OF_SALES: SALES_METRICS,
    Role.ADMIN: SALES_METRICS,
    Role.KEY_ACCOUNT_MANAGER: KAM_METRICS,
}


class Level(models.TextChoices):
    JUNIOR = "junior", _("Junior")
    PROFESSIONAL = "professional", _("Professional")
    SENIOR = "senior", _("Senior")


class CompanySize(models.TextChoices):
    SMALL = "small", _("Small (up to 49 employees)")
    MEDIUM = "medium", _("Medium (50 to 249)")
    LARGE = "large", _("Large (250 to 999)")
    ENTERPRISE = "enterprise", _("Enterprise (1,000 and more)")


class Industry(models.TextChoices):
    ANY = "any", _("Any industry")
    SOFTWARE = "software", _("Software and IT")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    WHOLESALE = "wholesale", _("Wholesale and distribution")
    SERVICES = "services", _("Business services")
    HEALTHCARE = "healthcare", _("Healthcare and life sciences")


class CompensationPlan(models.Model):
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="compensation_plans",
        help_text=_("Leave empty for a plan that applies to everybody in the role."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    base_pay = models.DecimalField(_("base pay per year"), max_digits=12, decimal_places=2)
    variable_target = models.DecimalField(
        _("variable pay at 100 % per year"), max_digits=12, decimal_places=2
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    level = models.CharField(
        _("level"),
        max_length=20,
        choices=Level.choices,
        blank=True,
        help_text=_("Compares the base pay with the salary band of this level."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["role", "user_id", "-valid_from", "pk"]
        verbose_name = _("compensation plan")
        verbose_name_plural = _("compensation plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(base_pay__gte=0) & models.Q(variable_target__gte=0),
                name="compensation_plan_pay_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="compensation_plan_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlanComponent(models.Model):
    """One weighted part of a plan's variable pay, with its payout curve.

    The curve works on attainment (1 = 100 %). For the KAM metrics attainment is the KPI's
    value divided by `kpi_target` (e.g. account growth 6 % against a target of 10 % = 0.6).
    """

    plan = models.ForeignKey(
        CompensationPlan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="components",
    )
    metric = models.CharField(_("KPI"), max_length=20, choices=Metric.choices)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    kpi_target = models.DecimalField(
        _("KPI target"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("For the KAM KPIs: the value that counts as 100 % (0.10 = 10 %)."),
    )
    threshold = models.DecimalField(
        _("threshold"), max_digits=6, decimal_places=4, default=Decimal("0.5")
    )
    target = models.DecimalField(_("target"), max_digits=6, decimal_places=4, default=Decimal(1))
    threshold_payout = models.DecimalField(
        _("payout at threshold"), max_digits=6, decimal_places=4, default=Decimal("0.25")
    )
    accelerator = models.DecimalField(
        _("accelerator"), max_digits=6, decimal_places=4, default=Decimal("1.5")
    )
    cap = models.DecimalField(_("cap"), max_digits=6, decimal_places=4, default=Decimal(2))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("plan component")
        verbose_name_plural = _("plan components")
        constraints = [
            models.UniqueConstraint(fields=["plan", "metric"], name="plan_component_metric_once"),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0) & models.Q(weight__lte=100),
                name="plan_component_weight_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} ({self.weight} %)"

    @property
    def curve(self) -> PayoutCurve:
        return PayoutCurve(
            threshold=self.threshold,
            target=self.target,
            threshold_payout=self.threshold_payout,
            accelerator=self.accelerator,
            cap=self.cap,
        )


class SalaryBand(models.Model):
    """Yearly base pay from min over mid to max for a role and level in a company of a size
    and industry ("any" is the default the other industries fall back to)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    company_size = models.CharField(_("company size"), max_length=20, choices=CompanySize.choices)
    industry = models.CharField(
        _("industry"), max_length=20, choices=Industry.choices, default=Industry.ANY
    )
    minimum = models.DecimalField(_("minimum"), max_digits=12, decimal_places=2)
    midpoint = models.DecimalField(_("midpoint"), max_digits=12, decimal_places=2)
    maximum = models.DecimalField(_("maximum"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")

    class Meta:
        ordering = ["role", "level", "company_size", "industry"]
        verbose_name = _("salary band")
        verbose_name_plural = _("salary bands")
        constraints = [
            models.UniqueConstraint(
                fields=["role", "level", "company_size", "industry"], name="salary_band_once"
            ),
            models.CheckConstraint(
                condition=models.Q(minimum__gte=0)
                & models.Q(midpoint__gte=models.F("minimum"))
                & models.Q(maximum__gte=models.F("midpoint")),
                name="salary_band_ordered",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_role_display()} · {self.get_level_display()} · "
            f"{self.get_company_size_display()} · {self.get_industry_display()}"
        )


class CompanyProfile(CompanyWide):
    """The company's own size and industry: which salary bands apply (one row)."""

    company_size = models.CharField(
        _("company size"), max_length=20, choices=CompanySize.choices, default=CompanySize.MEDIUM
    )
    industry = models.CharField(
        _("industry"), max_length=20, choices=Industry.choices, default=Industry.ANY
    )

    class Meta:
        verbose_name = _("company profile")
        verbose_name_plural = _("company profiles")

    def __str__(self) -> str:
        return f"{self.get_company_size_display()} · {self.get_industry_display()}"
