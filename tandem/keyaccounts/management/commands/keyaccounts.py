"""`tandem keyaccounts propose [--date YYYY-MM-DD]`: Tandem proposes a handover for every
account that meets a key-account rule and has no open handover yet."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tandem.demo.management.commands.demo import language_from_environment
from tandem.keyaccounts.services import propose_for_candidates

HELP = gettext_lazy(
    "Key accounts: propose handovers for the accounts that meet a key-account rule."
)


def day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("Not a date (YYYY-MM-DD): {text}").format(text=text)) from None


class Command(BaseCommand):
    help = HELP

    def run_from_argv(self, argv):
        # From a terminal, the help text and every message follow the terminal's language.
        with translation.override(language_from_environment() or translation.get_language()):
            super().run_from_argv(argv)

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(HELP)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        propose = sub.add_parser(
            "propose", help=_("propose handovers for the candidates that have none")
        )
        propose.add_argument(
            "--date", help=_("evaluate the rules as of this day (YYYY-MM-DD; default: today)")
        )

    def handle(self, *args, action: str, date: str | None = None, **options):
        made = propose_for_candidates(day(date) if date else None)
        for handover in made:
            self.stdout.write(
                _("{account}: proposed to {kam}").format(
                    account=handover.account, kam=handover.to_kam
                )
            )
        self.stdout.write(
            ngettext("{count} handover proposed.", "{count} handovers proposed.", len(made)).format(
                count=len(made)
            )
        )
