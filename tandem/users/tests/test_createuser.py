import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from tandem.users.models import Role, User


def test_createuser_makes_a_kam_who_can_log_in(db):
    call_command("createuser", "karla", "--role", "kam", "--password", "S3cure-enough-pw")
    user = authenticate(username="karla", password="S3cure-enough-pw")
    assert user is not None and user.role == Role.KEY_ACCOUNT_MANAGER


def test_createuser_puts_a_rep_into_an_existing_team(org):
    call_command("createuser", "rico", "--team", "north", "--password", "S3cure-enough-pw")
    assert User.objects.get(username="rico").team == org.north


def test_createuser_names_an_unknown_team(db):
    with pytest.raises(CommandError, match="no team called Nowhere"):
        call_command("createuser", "rico", "--team", "Nowhere", "--password", "S3cure-enough-pw")
    assert not User.objects.filter(username="rico").exists()


def test_createuser_refuses_a_weak_password_and_a_taken_name(org):
    with pytest.raises(CommandError, match="too short"):
        call_command("createuser", "rico", "--password", "abc")
    with pytest.raises(CommandError, match="taken"):
        call_command("createuser", "ALICE", "--password", "S3cure-enough-pw")


def test_admins_get_the_admin_site(db):
    call_command("createuser", "ops", "--role", "admin", "--password", "S3cure-enough-pw")
    user = User.objects.get(username="ops")
    assert user.is_staff and user.is_superuser
