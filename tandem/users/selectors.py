"""Who a user is responsible for: the base of every visibility rule."""

from django.db.models import Q, QuerySet

from tandem.users.models import ApiToken, Role, Team, User


def managed_user_ids(user: User) -> set[int]:
    """The people whose work `user` sees as their own: themself, plus their teams' members."""
    ids = {user.pk}
    if user.role == Role.SALES_MANAGER:
        ids |= set(User.objects.filter(team__manager=user).values_list("pk", flat=True))
    return ids


def visible_users(user: User) -> QuerySet[User]:
    """The company directory (names, roles, teams) is open to every colleague; what people
    own and earn is scoped by the other visibility functions."""
    return User.objects.all()


def visible_teams(user: User) -> QuerySet[Team]:
    return Team.objects.all()


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """A user's own API tokens, newest first: nobody else's are ever listed to them."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def assignable_owners(user: User) -> QuerySet[User]:
    """Whom `user` may make the owner of an account or deal: themself and the people they
    manage; Head of Sales and admins anyone active. (Handing a key account to a KAM is a
    handover, not an edit.)"""
    active = User.objects.filter(is_active=True)
    if user.sees_everything:
        return active
    return active.filter(pk__in=managed_user_ids(user))


def default_acting_user() -> User | None:
    """The first active admin or superuser: who an import runs as when nobody is named."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(role=Role.ADMIN))
        .order_by("pk")
        .first()
    )


def kam_named(text: str) -> User | None:
    """A KAM named by username or by id (None when there is none)."""
    kams = User.objects.filter(role=Role.KEY_ACCOUNT_MANAGER)
    found = kams.filter(username=text).first()
    if found is None and text.isdigit():
        found = kams.filter(pk=int(text)).first()
    return found
