from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "tandem.activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        # imported once the models are loaded: the page and its providers read them
        from tandem.accounts.pages import account_page
        from tandem.activities.pages import account_activities, deal_activities
        from tandem.pipeline.pages import deal_page

        account_page.add(account_activities)
        deal_page.add(deal_activities)
