"""Who a user is responsible for: the base of every visibility rule."""

from django.db.models import Q, QuerySet

from tandem.users.models import Role, Team, User


def managed_user_ids(user: User) -> set[int]:
    """The people whose work `user` sees as their own: themself, plus their teams' members."""
    ids = {user.pk}
    if user.role == Role.SALES_MANAGER:
        ids |= set(User.objects.filter(team__manager=user).values_list("pk", flat=True))
    return ids


def visible_users(user: User) -> QuerySet[User]:
    if user.sees_everything:
        return User.objects.all()
    return User.objects.filter(
        Q(pk__in=managed_user_ids(user)) | Q(managed_teams__isnull=False)
    ).distinct()


def visible_teams(user: User) -> QuerySet[Team]:
    if user.sees_everything:
        return Team.objects.all()
    return Team.objects.filter(Q(manager=user) | Q(members=user)).distinct()
