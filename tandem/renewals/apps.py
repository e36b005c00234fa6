from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenewalsConfig(AppConfig):
    name = "tandem.renewals"
    verbose_name = _("Renewals")

    def ready(self) -> None:
        # imported once the models are loaded: the page and its providers read them
        from tandem.accounts.pages import account_page
        from tandem.renewals.pages import account_renewals

        account_page.add(account_renewals)
