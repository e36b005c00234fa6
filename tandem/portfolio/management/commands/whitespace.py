"""`tandem whitespace candidates --user USER [--account ID] [--kam NAME] [--sector CODE]
[--months N] [--end YYYY-MM-DD] [--format table|json]`: cross-sell candidates as the user
sees them on the whitespace page (the same selectors)."""

import json

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.accounts.models import Sector
from tandem.accounts.selectors import visible_accounts
from tandem.core.commands import TandemCommand, day
from tandem.core.formatting import compact_money
from tandem.portfolio.selectors import (
    DEFAULT_MONTHS,
    WINDOW_CHOICES,
    CrossSell,
    candidate_order,
    kam_filter_choices,
    may_use_whitespace,
    whitespace_accounts,
    window_ending,
)
from tandem.users.models import User

HELP = gettext_lazy("Whitespace: cross-sell candidates of key accounts, with their reasons.")


class Command(TandemCommand):
    help = HELP

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        found = sub.add_parser("candidates", help=_("list cross-sell candidates"))
        found.add_argument("--user", required=True, help=_("whose view (username)"))
        found.add_argument("--account", type=int, help=_("one account (id)"))
        found.add_argument("--kam", help=_("only this KAM's key accounts (username)"))
        found.add_argument("--sector", help=_("only this sector (code)"))
        found.add_argument(
            "--months",
            type=int,
            default=DEFAULT_MONTHS,
            choices=WINDOW_CHOICES,
            help=_("length of the window in months"),
        )
        found.add_argument("--end", help=_("last day of the window (YYYY-MM-DD; default: today)"))
        found.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, action: str, **options):
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("No active user {name}.").format(name=options["user"]))
        if not may_use_whitespace(user):
            raise CommandError(_("{name} may not see whitespace.").format(name=user.username))
        end = day(options["end"]) if options["end"] else timezone.localdate()
        window = window_ending(end, options["months"])
        engine = CrossSell(window)
        if options["account"] is not None:
            account = visible_accounts(user).filter(pk=options["account"]).first()
            if account is None:
                raise CommandError(
                    _("{name} cannot see an account with this id.").format(name=user.username)
                )
            found = engine.candidates_for(account)
        else:
            kam = sector = None
            if options["kam"]:
                kam = kam_filter_choices(user).filter(username=options["kam"]).first()
                if kam is None:
                    raise CommandError(
                        _("No KAM {name} among the key accounts {user} sees.").format(
                            name=options["kam"], user=user.username
                        )
                    )
            if options["sector"]:
                sector = Sector.objects.filter(code=options["sector"]).first()
                if sector is None:
                    raise CommandError(_("No sector {code}.").format(code=options["sector"]))
            accounts = whitespace_accounts(user, kam=kam, sector=sector)
            found = sorted(
                (c for account in accounts for c in engine.candidates_for(account)),
                key=candidate_order,
            )
        if options["format"] == "json":
            body = {
                "window": {"start": window.start.isoformat(), "end": window.end.isoformat()},
                "items": [c.as_dict() for c in found],
            }
            self.stdout.write(json.dumps(body, indent=2, ensure_ascii=False, default=str))
            return
        for candidate in found:
            self.stdout.write(
                f"{candidate.account.name}\t{candidate.product.name}\t"
                f"{candidate.buyers}/{candidate.neighbours}\t"
                f"{compact_money(candidate.median_yearly)}\t{candidate.text()}"
            )
        if not found:
            self.stdout.write(_("No cross-sell candidates."))
