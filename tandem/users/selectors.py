"""Who a user is responsible for: the base of every visibility rule."""

from django.db.models import QuerySet

from tandem.users.models import Role, Team, User


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
