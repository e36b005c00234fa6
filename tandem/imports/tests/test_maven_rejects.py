"""The Maven CRM sample, refused or tried out: a dry run and a bad file change nothing (in a
module of their own: the other tests share one import)."""

import shutil

from tandem.imports.maven import import_maven
from tandem.imports.models import ImportRun, ImportStatus
from tandem.imports.tests.test_maven import read, snapshot
from testsupport.datasets import MAVEN


def test_dry_run_writes_nothing(org):
    before = snapshot()
    result = import_maven(MAVEN, acting_user=org.otto, dry_run=True)
    assert result.status == ImportStatus.SUCCEEDED
    assert result.report.records["deals"]["created"] == len(read("sales_pipeline.csv"))
    assert snapshot() == before
    assert not ImportRun.objects.exists()


def test_a_bad_file_is_rejected_whole(org, tmp_path):
    for name in ("accounts.csv", "products.csv", "sales_teams.csv"):
        shutil.copy(MAVEN / name, tmp_path / name)
    lines = (MAVEN / "sales_pipeline.csv").read_text().splitlines()
    lines[1] = lines[1].replace("GTX Plus Basic", "Hyperdrive 9000")
    lines[3] = lines[3].replace("2016-10-25", "2016-02-30")
    lines[4] = lines[4].replace(",588", ",-588")
    (tmp_path / "sales_pipeline.csv").write_text("\n".join(lines) + "\n")
    before = snapshot()
    result = import_maven(tmp_path, acting_user=org.otto)
    assert result.status == ImportStatus.REJECTED
    assert snapshot() == before
    errors = {e["line"]: e for e in result.report.errors}
    assert set(errors) == {2, 4, 5}
    assert "unknown product" in errors[2]["text"]
    assert "not a valid date" in errors[4]["params"]["problem"]["text"]
    assert errors[4]["params"]["problem"]["params"]["value"] == "2016-02-30"
    assert "negative" in errors[5]["text"]
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.REJECTED and run.report["error_count"] == 3
