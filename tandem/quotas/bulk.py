"""Quotas written as rows with ids of their own, for generated organisations (the demo):
COPY/executemany batches (tandem.core.bulk). The KPI rollups find them by a rebuild."""

from tandem.core.bulk import BackgroundWriter, TableWriter
from tandem.quotas.models import Quota


class QuotaRows:
    def __init__(self, sink: BackgroundWriter | None = None):
        self.quotas = TableWriter(
            Quota,
            [
                "id",
                "user",
                "team",
                "metric",
                "period_kind",
                "period_start",
                "period_end",
                "target",
            ],
            sink=sink,
        )
        self.writers = [self.quotas]
