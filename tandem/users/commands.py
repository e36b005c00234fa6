"""What the commands share about people: whose view a report prints."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from tandem.users.models import User
from tandem.users.selectors import default_acting_user


def viewer(username: str | None):
    """Whose view a report command prints: the user named by --user, by default the first active
    admin (who sees everything)."""
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user named “{name}”.").format(name=username))
        return user
    user = default_acting_user()
    if user is None:
        raise CommandError(_("There is no active admin; pass --user."))
    return user
