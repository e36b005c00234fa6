"""Who may write what through the API, beyond "only rows you can see"."""

from tandem.users.models import Role, User


def may_change_catalogue(user: User) -> bool:
    """The product catalogue is reference data: sales operations / admins keep it."""
    return user.is_superuser or user.role == Role.ADMIN
