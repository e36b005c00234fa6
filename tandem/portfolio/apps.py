from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "tandem.portfolio"
    verbose_name = _("Whitespace")

    def ready(self) -> None:
        # imported once the models are loaded: the page and its providers read them
        from tandem.accounts.pages import account_page
        from tandem.portfolio.pages import account_whitespace_link

        account_page.add(account_whitespace_link)
