"""`tandem token create USERNAME --name NAME`, `tandem token list USERNAME`,
`tandem token revoke ID`.

The raw token is printed once, when it is created; Tandem stores only its SHA-256.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tandem.users.models import ApiToken, User
from tandem.users.selectors import api_tokens_of
from tandem.users.services import create_api_token, revoke_api_token


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


class Command(BaseCommand):
    help = "Create, list and revoke personal API tokens."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Create a token and print it once.")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="What the token is for.")
        listing = actions.add_parser("list", help="List a user's tokens (never the keys).")
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("id", type=int)

    def handle(self, *args, **options):
        getattr(self, f"handle_{options['action']}")(options)

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user called {username}.")
        return user

    def handle_create(self, options) -> None:
        user = self._user(options["username"])
        if not options["name"].strip():
            raise CommandError("Give the token a name.")
        token, raw = create_api_token(user, name=options["name"], acting_user=None)
        self.stderr.write(
            f"Token {token.pk} ({token.name}) for {user.username}. "
            "Copy it now, it is not shown again:"
        )
        self.stdout.write(raw)

    def handle_list(self, options) -> None:
        user = self._user(options["username"])
        tokens = list(api_tokens_of(user))
        if not tokens:
            self.stdout.write(f"{user.username} has no API tokens.")
            return
        self.stdout.write(
            f"{'id':>6}  {'name':<30} {'starts with':<12} {'created':<17} {'last used':<17} status"
        )
        for token in tokens:
            status = f"revoked {_local(token.revoked_at)}" if token.revoked_at else "active"
            last_used = _local(token.last_used_at) if token.last_used_at else "never"
            self.stdout.write(
                f"{token.pk:>6}  {token.name[:30]:<30} {token.hint + '…':<12} "
                f"{_local(token.created_at):<17} {last_used:<17} {status}"
            )

    def handle_revoke(self, options) -> None:
        token = ApiToken.objects.select_related("user").filter(pk=options["id"]).first()
        if token is None:
            raise CommandError(f"There is no API token with id {options['id']}.")
        already = token.revoked_at is not None
        revoke_api_token(token, acting_user=None)
        if already:
            self.stdout.write(f"Token {token.pk} ({token.name}) was already revoked.")
        else:
            self.stdout.write(f"Revoked token {token.pk} ({token.name}) of {token.user.username}.")
