"""Activities written as rows with ids of their own, for generated organisations (the demo):
COPY/executemany batches (tandem.core.bulk), each activity before the contacts it names."""

from tandem.activities.models import Activity
from tandem.core.bulk import BackgroundWriter, TableWriter

ActivityContact = Activity.contacts.through


class ActivityRows:
    def __init__(self, sink: BackgroundWriter | None = None):
        self.activities = TableWriter(
            Activity,
            ["id", "kind", "subject", "notes", "occurred_at", "account", "deal", "owner"],
            sink=sink,
        )
        self.contacts = TableWriter(ActivityContact, ["id", "activity", "contact"], sink=sink)
        self.writers = [self.activities, self.contacts]
