"""The main navigation: which entries each role sees."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from tandem.users.models import Role

EVERYONE = None
SALES_SIDE = {Role.SALES_REP, Role.SALES_MANAGER, Role.HEAD_OF_SALES, Role.ADMIN}
ADMINS = {Role.ADMIN}
LEADERS = {Role.SALES_MANAGER, Role.HEAD_OF_SALES, Role.ADMIN}
KEY_ACCOUNT_SIDE = {Role.KEY_ACCOUNT_MANAGER, Role.SALES_MANAGER, Role.HEAD_OF_SALES, Role.ADMIN}

# (url name, label, roles that see it; EVERYONE for all signed-in users)
ENTRIES = [
    ("home", _("Overview"), EVERYONE),
    ("accounts:account_list", _("Accounts"), EVERYONE),
    ("accounts:contact_list", _("Contacts"), EVERYONE),
    ("pipeline:deal_list", _("Deals"), EVERYONE),
    ("pipeline:board", _("Pipeline board"), SALES_SIDE),
    ("activities:activity_list", _("Activities"), EVERYONE),
    ("kpis:cockpit", _("Sales cockpit"), SALES_SIDE),
    ("forecast:overview", _("Forecast"), LEADERS),
    ("coaching:overview", _("Coaching"), SALES_SIDE),
    ("kam:cockpit", _("KAM cockpit"), KEY_ACCOUNT_SIDE),
    ("keyaccounts:overview", _("Key accounts"), KEY_ACCOUNT_SIDE),
    ("accountplans:plan_list", _("Account plans"), KEY_ACCOUNT_SIDE),
    ("renewals:upcoming", _("Renewals"), KEY_ACCOUNT_SIDE),
    ("portfolio:whitespace", _("Whitespace"), KEY_ACCOUNT_SIDE),
    ("insights:feed", _("Insights"), EVERYONE),
    ("people:overview", _("Career"), EVERYONE),
    ("hiring:overview", _("Hiring"), LEADERS),
    ("compensation:overview", _("Pay"), EVERYONE),
    ("imports:import_list", _("Imports"), ADMINS),
    ("api_tokens:token_list", _("API tokens"), EVERYONE),
]


def _exists(url_name: str) -> bool:
    try:
        reverse(url_name)
    except NoReverseMatch:
        return False
    return True


def entries_for(user) -> list[dict]:
    return [
        {"url_name": name, "label": label}
        for name, label, roles in ENTRIES
        if (roles is EVERYONE or user.role in roles or user.is_superuser) and _exists(name)
    ]
