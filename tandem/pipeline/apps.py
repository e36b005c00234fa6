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
