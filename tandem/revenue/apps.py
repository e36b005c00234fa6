from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RevenueConfig(AppConfig):
    name = "tandem.revenue"
    verbose_name = _("Revenue")

    def ready(self) -> None:
        # imported once the models are loaded: the page and its providers read them
        from tandem.accounts.pages import account_page
        from tandem.revenue.pages import account_revenue

        account_page.add(account_revenue)
