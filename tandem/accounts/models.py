from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TranslatedNameModel, Versioned


class Sector(TranslatedNameModel):
    code = models.SlugField(_("code"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class Tier(models.TextChoices):
    STANDARD = "standard", _("Standard")
    KEY_ACCOUNT = "key", _("Key account")


class Account(Versioned):
    """A customer company or prospect. It has exactly one owner, enforced by the database."""

    name = models.CharField(_("name"), max_length=200)
    external_ref = models.CharField(
        _("external reference"), max_length=200, null=True, blank=True, unique=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subsidiaries",
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, null=True, blank=True
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    annual_revenue = models.DecimalField(
        _("annual revenue"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    year_established = models.PositiveSmallIntegerField(
        _("year established"), null=True, blank=True
    )
    country = models.CharField(_("country"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_accounts",
    )
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, default=Tier.STANDARD)
    is_strategic = models.BooleanField(_("strategic"), default=False)
    revenue_potential = models.DecimalField(
        _("estimated revenue potential per year"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        indexes = [models.Index(fields=["owner", "tier"]), models.Index(fields=["name"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="account_not_own_parent"
            ),
            models.CheckConstraint(
                condition=models.Q(annual_revenue__gte=0) | models.Q(annual_revenue__isnull=True),
                name="account_annual_revenue_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(revenue_potential__gte=0)
                | models.Q(revenue_potential__isnull=True),
                name="account_revenue_potential_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError(
                    {"parent": _("An account cannot be its own parent or ancestor.")}
                )
            ancestor = ancestor.parent


class HierarchyLevel(models.TextChoices):
    C_LEVEL = "c_level", _("C-level")
    DIRECTOR = "director", _("Director")
    MANAGER = "manager", _("Manager")
    OPERATIONAL = "operational", _("Operational")


class BuyingRole(models.TextChoices):
    DECISION_MAKER = "decision_maker", _("Decision maker")
    ECONOMIC_BUYER = "economic_buyer", _("Economic buyer")
    CHAMPION = "champion", _("Champion")
    INFLUENCER = "influencer", _("Influencer")
    USER = "user", _("User")
    GATEKEEPER = "gatekeeper", _("Gatekeeper")
    BLOCKER = "blocker", _("Blocker")


class Contact(Versioned):
    """A person at an account; an account's contacts form its stakeholder map."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="contacts"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    hierarchy_level = models.CharField(
        _("hierarchy level"), max_length=20, choices=HierarchyLevel.choices
    )
    buying_role = models.CharField(_("buying role"), max_length=20, choices=BuyingRole.choices)
    relationship_strength = models.PositiveSmallIntegerField(
        _("relationship strength"),
        default=3,
        help_text=_("1 = no relationship yet, 5 = trusted advisor"),
    )
    is_active = models.BooleanField(
        _("still at the company"), default=True, help_text=_("Untick when the person has left.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(relationship_strength__gte=1, relationship_strength__lte=5),
                name="contact_relationship_strength_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class RenewalTerms(models.TextChoices):
    AUTOMATIC = "automatic", _("Renews automatically unless cancelled")
    NEGOTIATED = "negotiated", _("Renewal negotiated before the end")
    NONE = "none", _("Ends without renewal")


class ContractStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RENEWED = "renewed", _("Renewed")
    EXPANDED = "expanded", _("Expanded")
    REDUCED = "reduced", _("Reduced")
    CHURNED = "churned", _("Churned")


class Contract(models.Model):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="contracts"
    )
    name = models.CharField(_("name"), max_length=200)
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"))
    annual_value = models.DecimalField(_("annual value"), max_digits=14, decimal_places=2)
    notice_period_days = models.PositiveIntegerField(_("notice period (days)"), default=90)
    renewal_terms = models.CharField(
        _("renewal terms"),
        max_length=20,
        choices=RenewalTerms.choices,
        default=RenewalTerms.NEGOTIATED,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.ACTIVE
    )
    # The renewal outcome (status other than active) as recorded through Tandem: who, when,
    # why, and the follow-on contract a renewal, expansion or reduction created.
    renewal_of = models.OneToOneField(
        "self",
        verbose_name=_("renewal of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewed_by",
    )
    outcome_recorded_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outcome recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # db_default: the demo generator's bulk writer names its columns and leaves this one out
    outcome_note = models.TextField(_("outcome note"), blank=True, default="", db_default="")

    class Meta:
        ordering = ["end_on"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        indexes = [models.Index(fields=["status", "end_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__gt=models.F("start_on")),
                name="contract_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(annual_value__gte=0), name="contract_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name
