from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotasConfig(AppConfig):
    name = "tandem.quotas"
    verbose_name = _("Quotas")

    def ready(self) -> None:
        # imported once the models are loaded: approved quota changes are applied by the
        # quotas' service, which the approvals floor below cannot import
        from tandem.approvals.services import register
        from tandem.quotas.services import QUOTA_SET, apply_approved_quota

        register(QUOTA_SET, apply_approved_quota)
