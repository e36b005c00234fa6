from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PipelineConfig(AppConfig):
    name = "tandem.pipeline"
    verbose_name = _("Pipeline")

    def ready(self) -> None:
        # imported once the models are loaded: the page and its providers read them
        from tandem.accounts.pages import account_page
        from tandem.pipeline.pages import account_deals

        account_page.add(account_deals)

        # imported once the models are loaded: approved deal changes are applied by the
        # pipeline's service, which the approvals floor below cannot import
        from tandem.approvals.services import register
        from tandem.pipeline.services import DEAL_CHANGE, apply_approved_change

        register(DEAL_CHANGE, apply_approved_change)
