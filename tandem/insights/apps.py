from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "tandem.insights"
    verbose_name = _("Insights and announcements")

    def ready(self) -> None:
        # imported once the models are loaded: the page and its providers read them
        from tandem.accounts.pages import account_page
        from tandem.insights.pages import account_insight_count

        account_page.add(account_insight_count)
