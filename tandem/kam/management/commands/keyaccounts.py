"""`tandem keyaccounts propose [--date YYYY-MM-DD]`: Tandem proposes a handover for every
account that meets a key-account rule and has no open handover yet.

`tandem keyaccounts refresh`: evaluate the rules for every account and compute the kept KAM
figures whole (the nightly job `keyaccounts.refresh` does the same each night)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tandem.core.commands import TandemCommand, day
from tandem.jobs.progress import Progress
from tandem.kam.jobs import refresh
from tandem.keyaccounts.services import propose_for_candidates

HELP = gettext_lazy(
    "Key accounts: propose handovers for the accounts that meet a key-account rule."
)


class Command(TandemCommand):
    help = HELP

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        propose = sub.add_parser(
            "propose", help=_("propose handovers for the candidates that have none")
        )
        propose.add_argument(
            "--date", help=_("evaluate the rules as of this day (YYYY-MM-DD; default: today)")
        )
        sub.add_parser(
            "refresh",
            help=_("evaluate the rules and compute the kept figures of every KAM now"),
        )

    def handle(self, *args, action: str, date: str | None = None, **options):
        if action == "refresh":
            self.refresh()
            return
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

    def refresh(self) -> None:
        figures = refresh(Progress.printing(self.stdout))
        self.stdout.write(
            _("{count} accounts meet a key-account rule.").format(
                count=figures["accounts_meeting_a_rule"]
            )
        )
        self.stdout.write(
            _("KAM figures computed for {periods}.").format(periods=", ".join(figures["periods"]))
        )
