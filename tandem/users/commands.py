"""What the commands share about people: a user or team named on the command line, and whose
view a report prints or who acts."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from tandem.users.models import Team, User
from tandem.users.selectors import default_acting_user


def user_named(username: str) -> User:
    """The user a command names by username (active or not), or a clear refusal."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("No user named “{name}”.").format(name=username))
    return user


def team_named(name: str) -> Team:
    """The team a command names, or a clear refusal."""
    team = Team.objects.filter(name=name).first()
    if team is None:
        raise CommandError(_("No team named “{name}”.").format(name=name))
    return team


def viewer(username: str | None) -> User:
    """Whose view a report command prints (or who acts in a command that writes): the user named
    by --user, by default the first active admin (who sees everything)."""
    if username:
        return user_named(username)
    user = default_acting_user()
    if user is None:
        raise CommandError(_("There is no active admin; pass --user."))
    return user
