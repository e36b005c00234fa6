"""`tandem createuser USERNAME --role kam --team North`: add a person with their role."""

import getpass
import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.commands import TandemCommand
from tandem.core.errors import DomainError
from tandem.users.models import Role
from tandem.users.services import create_user

HELP = gettext_lazy("Create a user with a role (and optionally a team).")


class Command(TandemCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=Role.values, default=Role.SALES_REP)
        parser.add_argument("--team", help=gettext_lazy("Name of the team the person works in."))
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password",
            help=gettext_lazy(
                "Password; asked for interactively when omitted and a terminal is attached."
            ),
        )

    def handle(self, *args, username, role, team, first_name, last_name, email, password, **opts):
        if password is None:
            if not self.stdin_is_tty():
                raise CommandError(_("Give --password when no terminal is attached."))
            password = getpass.getpass(_("Password: "))
        try:
            user = create_user(
                username=username,
                password=password,
                role=role,
                team_name=team,
                first_name=first_name,
                last_name=last_name,
                email=email,
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            _("Created {username} ({role}).").format(
                username=user.username, role=user.get_role_display()
            )
        )

    @staticmethod
    def stdin_is_tty() -> bool:
        return sys.stdin.isatty()
