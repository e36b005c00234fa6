"""The main navigation: which entries each role sees, grouped into menus."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from tandem.users.models import Role

EVERYONE = None
SALES_SIDE = {Role.SALES_REP, Role.SALES_MANAGER, Role.HEAD_OF_SALES, Role.ADMIN}
ADMINS = {Role.ADMIN}
LEADERS = {Role.SALES_MANAGER, Role.HEAD_OF_SALES, Role.ADMIN}
KEY_ACCOUNT_SIDE = {Role.KEY_ACCOUNT_MANAGER, Role.SALES_MANAGER, Role.HEAD_OF_SALES, Role.ADMIN}
COACHED = {Role.SALES_REP, Role.SALES_MANAGER}

# (group label or None for a link of its own, [(url name, label, roles that see it)])
GROUPS = [
    (None, [("home", _("Overview"), EVERYONE)]),
    (
        _("Customers"),
        [
            ("accounts:account_list", _("Accounts"), EVERYONE),
            ("accounts:contact_list", _("Contacts"), EVERYONE),
            ("insights:feed", _("Insights"), EVERYONE),
        ],
    ),
    (
        _("Sales"),
        [
            ("pipeline:deal_list", _("Deals"), EVERYONE),
            ("pipeline:board", _("Pipeline board"), SALES_SIDE),
            ("activities:activity_list", _("Activities"), EVERYONE),
            ("sales:cockpit", _("Sales cockpit"), SALES_SIDE),
            ("forecast:overview", _("Forecast"), LEADERS),
            ("coaching:overview", _("Coaching"), COACHED),
        ],
    ),
    (
        _("Key accounts"),
        [
            ("kam:cockpit", _("KAM cockpit"), KEY_ACCOUNT_SIDE),
            ("keyaccounts:overview", _("Candidates and handovers"), KEY_ACCOUNT_SIDE),
            # everyone: a rep may own actions of a plan (listed there as "your open actions")
            ("accountplans:plan_list", _("Account plans"), EVERYONE),
            ("renewals:upcoming", _("Renewals"), KEY_ACCOUNT_SIDE),
            ("portfolio:whitespace", _("Whitespace"), KEY_ACCOUNT_SIDE),
        ],
    ),
    (
        _("People"),
        [
            ("people:overview", _("Career"), EVERYONE),
            ("hiring:overview", _("Hiring"), LEADERS),
            ("compensation:overview", _("Pay"), EVERYONE),
        ],
    ),
    (
        _("Tools"),
        [
            ("imports:import_list", _("Imports"), ADMINS),
            ("jobs:job_list", _("Background jobs"), ADMINS),
            ("api_tokens:token_list", _("API tokens"), EVERYONE),
            ("approvals:approval_list", _("Approvals"), EVERYONE),
        ],
    ),
]


def _exists(url_name: str) -> bool:
    try:
        reverse(url_name)
    except NoReverseMatch:
        return False
    return True


def _sees(user, roles) -> bool:
    return roles is EVERYONE or user.role in roles or user.is_superuser


def groups_for(user) -> list[dict]:
    """The menus this user sees; a menu with no entry for them is left out."""
    groups = []
    for label, entries in GROUPS:
        shown = [
            {"url_name": name, "label": entry_label}
            for name, entry_label, roles in entries
            if _sees(user, roles) and _exists(name)
        ]
        if shown:
            groups.append({"label": label, "entries": shown})
    return groups
