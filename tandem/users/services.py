"""Writes about people: creating users (and, below, their API tokens). A person's move to
another team, or a team's end, touches the teams (tandem.core.touched): the KPIs keep sums per
team."""

import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tandem.audit.services import record
from tandem.core.errors import DomainError
from tandem.core.services import validate_new
from tandem.core.touched import touched
from tandem.users.models import ApiToken, Region, Role, Team, User, hash_token

# An API token's last_used_at is written at most this often, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
# How long a new API token works unless its owner chooses otherwise, and at most.
TOKEN_DAYS_DEFAULT = 90
TOKEN_DAYS_MAX = 365


class TokenExpired(Exception):
    """A real token past its expiry: the caller is told so, not just "wrong token"."""

    def __init__(self, token: ApiToken):
        super().__init__(token.expires_at)
        self.token = token


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str,
    role: str = Role.SALES_REP,
    team_name: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """Create a person with a role; admins also get Django's admin site."""
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("The username {username} is taken.").format(username=username))
    team = None
    if team_name:
        team = Team.objects.filter(name__iexact=team_name).first()
        if team is None:
            raise DomainError(_("There is no team called {name}.").format(name=team_name))
    user = User(
        username=username,
        role=role,
        team=team,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password") from error
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def create_api_token(
    user: User, *, name: str, acting_user: User | None, days: int = TOKEN_DAYS_DEFAULT
) -> tuple[ApiToken, str]:
    """Create a token for `user` that works for `days` days; returns it with the raw key,
    which is never stored."""
    if not 1 <= days <= TOKEN_DAYS_MAX:
        raise DomainError(
            _("A token works for 1 to {most} days.").format(most=TOKEN_DAYS_MAX), field="days"
        )
    raw = ApiToken.generate_raw()
    token = validate_new(
        ApiToken(
            user=user,
            name=name.strip(),
            key_hash=hash_token(raw),
            hint=raw[: len(ApiToken.PREFIX) + 4],
            expires_at=timezone.now() + datetime.timedelta(days=days),
        )
    )
    token.save()
    record(
        token,
        "api_token.created",
        acting_user=acting_user,
        changes={"user": user.pk, "expires_at": token.expires_at.isoformat()},
    )
    return token, raw


@transaction.atomic
def revoke_api_token(token: ApiToken, *, acting_user: User | None) -> ApiToken:
    """Refuse the token from now on; revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(token, "api_token.revoked", acting_user=acting_user, changes={"user": token.user_id})
    return token


def authenticate_api_token(raw: str, *, reading: bool = False) -> User | None:
    """The active user of a valid, unrevoked token, or None; notes when it was last used (for
    a request that only reads, in the shared cache: `store_token_use` writes it down later, so
    that reading never writes). Raises TokenExpired for a token that was valid until then."""
    if not raw or not raw.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.expires_at <= now:
        raise TokenExpired(token)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        if reading:
            caches["shared"].set(f"{TOKEN_USE}{token.pk}", now, timeout=TOKEN_USE_KEPT)
            caches["shared"].set(TOKEN_USE_KEYS, True, timeout=TOKEN_USE_KEPT)
        else:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


TOKEN_USE = "api-token-used:"
TOKEN_USE_KEYS = "api-token-used"  # set while some use waits to be written down
TOKEN_USE_KEPT = 24 * 3600


def store_token_use() -> int:
    """Write down when the tokens noted in the shared cache were last used (a scheduled job);
    returns how many tokens."""
    if not caches["shared"].get(TOKEN_USE_KEYS):
        return 0
    caches["shared"].delete(TOKEN_USE_KEYS)
    ids = ApiToken.objects.values_list("pk", flat=True)
    used = caches["shared"].get_many([f"{TOKEN_USE}{pk}" for pk in ids])
    for key, when in used.items():
        earlier = Q(last_used_at__lt=when) | Q(last_used_at=None)
        ApiToken.objects.filter(earlier, pk=int(key.removeprefix(TOKEN_USE))).update(
            last_used_at=when
        )
    caches["shared"].delete_many(list(used))
    return len(used)


# --- people brought by an import ----------------------------------------------------------


def upsert_imported_user(
    external_ref: str, name: str, *, role: str, team: Team | None
) -> tuple[User, bool, bool]:
    """The user an import knows by `external_ref`, created without a password (an admin sets
    one to let them in) or brought up to date; returns (user, created, changed). The username
    is the slugged name, numbered when taken."""
    user = User.objects.filter(external_ref=external_ref).first()
    first, _sep, last = name.partition(" ")
    if user is None:
        base = slugify(name)[:140] or "user"
        username, n = base, 1
        while User.objects.filter(username=username).exists():
            n += 1
            username = f"{base}-{n}"
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            role=role,
            team=team,
            external_ref=external_ref,
        )
        user.set_unusable_password()
        user.save()
        return user, True, False
    changed = False
    for attr, value in {"first_name": first, "last_name": last, "role": role}.items():
        if getattr(user, attr) != value:
            setattr(user, attr, value)
            changed = True
    before = user.team_id
    if team is not None and user.team_id != team.pk:
        user.team = team
        changed = True
    if changed:
        user.save()
        touch_team_change(user, before)
    return user, False, changed


def ensure_region(name: str) -> tuple[Region, bool]:
    """The region called `name`, created if new; returns (region, created)."""
    return Region.objects.get_or_create(name=name)


def upsert_manager_team(manager: User, name: str, region: Region) -> tuple[Team, bool, bool]:
    """The team `manager` leads (created as `name` if none), in `region`, with the manager in
    it; returns (team, created, changed)."""
    team = Team.objects.filter(manager=manager).order_by("pk").first()
    created = changed = False
    if team is None:
        team = Team.objects.create(name=name, region=region, manager=manager)
        created = changed = True
    elif team.region_id != region.pk:
        team.region = region
        team.save(update_fields=["region"])
        changed = True
    if manager.team_id != team.pk:
        move_to_team(manager, team)
    return team, created, changed


@transaction.atomic
def move_to_team(user: User, team: Team | None) -> User:
    """Put the person in another team, or in none."""
    before = User.objects.select_for_update().values_list("team_id", flat=True).get(pk=user.pk)
    user.team = team
    user.save(update_fields=["team"])
    touch_team_change(user, before)
    return user


def touch_team_change(user: User, before: int | None) -> None:
    """The person's team was `before` and is now their `team`: both teams' sums change (their
    deals and quotas count for their team)."""
    if before != user.team_id:
        touched("teams", teams=[before, user.team_id])


def touch_user_deleting(users) -> None:
    """These people go (their quotas with them): their teams' sums change."""
    touched(
        "teams",
        "quotas",
        teams=[user.team_id for user in users],
        owners=[user.pk for user in users],
    )


@transaction.atomic
def delete_teams(teams) -> None:
    """Delete teams (a queryset); their members are left without a team and their quotas go."""
    ids = list(teams.values_list("pk", flat=True))
    members = User.objects.filter(team_id__in=ids).values_list("pk", flat=True)
    touched("teams", "quotas", owners=list(members), teams=[*ids, None])
    Team.objects.filter(pk__in=ids).delete()
