from django.utils.translation import gettext_lazy as _

# (url name, label, roles that see it or None for everyone)
ENTRIES = [
    ("home", _("Overview"), None),
]


def entries_for(user):
    return [
        {"url_name": name, "label": label}
        for name, label, roles in ENTRIES
        if roles is None or user.role in roles or user.is_superuser
    ]
