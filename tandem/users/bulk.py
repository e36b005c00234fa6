"""People written as rows with ids of their own, for generated organisations (the demo):
regions, users and teams in COPY/executemany batches (tandem.core.bulk)."""

from tandem.core.bulk import BackgroundWriter, TableWriter
from tandem.users.models import Region, Team, User

USER_COLUMNS = [
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "role",
    "team",
    "external_ref",
]


class PeopleRows:
    """Rows of regions, users and teams; `writers` in the order their keys need (users before
    teams: a team names its manager, a user their team, checked at commit)."""

    def __init__(self, sink: BackgroundWriter | None = None):
        self.regions = TableWriter(Region, ["id", "name"], sink=sink)
        self.users = TableWriter(User, USER_COLUMNS, sink=sink)
        self.teams = TableWriter(Team, ["id", "name", "region", "manager"], sink=sink)
        self.writers = [self.regions, self.users, self.teams]
