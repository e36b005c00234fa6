"""Where the real data sets are: $TANDEM_DATASETS, by default ../shared/datasets beside the
repository root, so a clone anywhere runs the same tests and benchmarks."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASETS = Path(os.environ.get("TANDEM_DATASETS") or ROOT.parent / "shared" / "datasets")
MAVEN = DATASETS / "maven_crm"
RETAIL = DATASETS / "online_retail" / "online_retail.csv.gz"
