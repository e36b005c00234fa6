"""`tandem token create USERNAME --name NAME [--days 90]`, `tandem token list USERNAME`,
`tandem token revoke ID`.

The raw token is printed once, when it is created; Tandem stores only its SHA-256.
"""

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.commands import TandemCommand
from tandem.core.errors import DomainError
from tandem.users.commands import user_named
from tandem.users.models import ApiToken
from tandem.users.selectors import api_tokens_of
from tandem.users.services import TOKEN_DAYS_DEFAULT, create_api_token, revoke_api_token

HELP = gettext_lazy("Create, list and revoke personal API tokens.")


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _row(pk, name, hint, created, last_used, expires, status) -> str:
    """One line of `tandem token list`, in fixed-width columns."""
    return f"{pk:>6}  {name:<30} {hint:<12} {created:<17} {last_used:<17} {expires:<17} {status}"


class Command(TandemCommand):
    help = HELP

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser(
            "create", help=gettext_lazy("Create a token and print it once.")
        )
        create.add_argument("username")
        create.add_argument("--name", required=True, help=gettext_lazy("What the token is for."))
        create.add_argument(
            "--days",
            type=int,
            default=TOKEN_DAYS_DEFAULT,
            help=gettext_lazy("How many days the token works (default 90, at most 365)."),
        )
        listing = actions.add_parser(
            "list", help=gettext_lazy("List a user's tokens (never the keys).")
        )
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help=gettext_lazy("Revoke a token by its id."))
        revoke.add_argument("id", type=int)

    def handle(self, *args, **options):
        getattr(self, f"handle_{options['action']}")(options)

    def handle_create(self, options) -> None:
        user = user_named(options["username"])
        if not options["name"].strip():
            raise CommandError(_("Give the token a name."))
        try:
            token, raw = create_api_token(
                user, name=options["name"], days=options["days"], acting_user=None
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stderr.write(
            _("Token {id} ({name}) for {username}. Copy it now, it is not shown again:").format(
                id=token.pk, name=token.name, username=user.username
            )
        )
        self.stdout.write(raw)

    def handle_list(self, options) -> None:
        user = user_named(options["username"])
        tokens = list(api_tokens_of(user))
        if not tokens:
            self.stdout.write(_("{username} has no API tokens.").format(username=user.username))
            return
        self.stdout.write(
            _row(
                "id",
                _("name"),
                _("starts with"),
                _("created"),
                _("last used"),
                _("expires"),
                _("status"),
            )
        )
        for token in tokens:
            status = (
                _("revoked %(when)s") % {"when": _local(token.revoked_at)}
                if token.revoked_at
                else _("expired")
                if token.expired
                else _("active")
            )
            last_used = _local(token.last_used_at) if token.last_used_at else _("never")
            self.stdout.write(
                _row(
                    token.pk,
                    token.name[:30],
                    token.hint + "…",
                    _local(token.created_at),
                    last_used,
                    _local(token.expires_at),
                    status,
                )
            )

    def handle_revoke(self, options) -> None:
        token = ApiToken.objects.select_related("user").filter(pk=options["id"]).first()
        if token is None:
            raise CommandError(_("There is no API token with id {id}.").format(id=options["id"]))
        already = token.revoked_at is not None
        revoke_api_token(token, acting_user=None)
        if already:
            self.stdout.write(
                _("Token {id} ({name}) was already revoked.").format(id=token.pk, name=token.name)
            )
        else:
            self.stdout.write(
                _("Revoked token {id} ({name}) of {username}.").format(
                    id=token.pk, name=token.name, username=token.user.username
                )
            )
