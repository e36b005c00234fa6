from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "tandem.accountplans"
    verbose_name = _("Account plans")

    def ready(self) -> None:
        # imported once the models are loaded: the page and its providers read them
        from tandem.accountplans.pages import account_plan_links, missing_plans
        from tandem.accounts.pages import account_page
        from tandem.keyaccounts.pages import conflicts_page

        account_page.add(account_plan_links)
        conflicts_page.add(missing_plans)
