import pytest
from django.db import transaction

from tandem.imports.maven import import_maven
from tandem.imports.models import ImportStatus
from tandem.users.models import Role, User
from testsupport.datasets import MAVEN


@pytest.fixture(scope="module")
def maven(django_db_setup, django_db_blocker):
    """The Maven sample imported once per module through the import service; rolled back
    after the module's last test."""

    with django_db_blocker.unblock(), transaction.atomic():
        importer = User.objects.create(username="forecast-importer", role=Role.ADMIN)
        result = import_maven(MAVEN, acting_user=importer)
        assert result.status == ImportStatus.SUCCEEDED, result.report.lines()
        yield importer
        transaction.set_rollback(True)
