"""Writes about people: creating users (and, below, their API tokens)."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.core.errors import DomainError
from tandem.users.models import Role, Team, User


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
