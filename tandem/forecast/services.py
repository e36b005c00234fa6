"""Writes of the forecast app: a deal's forecast category, set by its owner, adjusted by a
manager; both kept with who and when in the audit trail."""

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.audit.services import record
from tandem.core.errors import DomainError
from tandem.forecast.models import DealForecast, ForecastCategory
from tandem.pipeline.models import Deal, StageOutcome
from tandem.pipeline.selectors import visible_deals
from tandem.users.models import User
from tandem.users.selectors import managed_user_ids


def set_forecast_category(deal: Deal, category: str, *, acting_user: User) -> DealForecast:
    """The owner sets the deal's category; the owner's manager, the Head of Sales or an admin
    set an adjustment that overrides it (an adjustment equal to the owner's call clears it)."""
    if category not in ForecastCategory.values:
        raise DomainError(_("Choose commit, best case or pipeline."), field="category")
    with transaction.atomic():
        locked = visible_deals(acting_user).select_for_update().filter(pk=deal.pk).first()
        if locked is None:
            raise DomainError(_("You cannot set the forecast of this deal."))
        deal = locked
        if deal.stage.outcome != StageOutcome.OPEN:
            raise DomainError(_("Only an open deal has a forecast category."), field="category")
        forecast, _created = DealForecast.objects.get_or_create(deal=deal)
        if acting_user.pk == deal.owner_id:
            field, action = "rep_category", "deal.forecast_category_set"
        elif acting_user.sees_everything or deal.owner_id in managed_user_ids(acting_user):
            field, action = "manager_category", "deal.forecast_category_adjusted"
            if category == forecast.rep_category:
                category = ""
        else:
            raise DomainError(_("Only the owner or their manager sets the forecast of a deal."))
        old = getattr(forecast, field)
        if old == category:
            return forecast
        setattr(forecast, field, category)
        if field == "manager_category":
            forecast.adjusted_by = acting_user if category else None
        forecast.save()
        record(deal, action, acting_user=acting_user, changes={field: [old, category]})
        return forecast
