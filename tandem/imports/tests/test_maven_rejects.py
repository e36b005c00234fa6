"""The Maven CRM sample, refused or tried out: a dry run and a bad file change nothing (in a
module of their own: the other tests share one import)."""

import shutil

from tandem.imports.maven import import_maven
from tandem.imports.models import ImportRun, ImportStatus
from tandem.imports.tests.test_maven import read, snapshot
from tandem.pipeline.models import Deal
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


def test_a_deal_the_file_newly_marks_lost_is_moved_without_a_reason_and_counted(org, tmp_path):
    """The Maven file keeps no lost reasons: a re-import that loses an open deal moves it as
    a move in Tandem does (history, close date), without a reason, and says how many."""
    for name in ("accounts.csv", "products.csv", "sales_teams.csv", "sales_pipeline.csv"):
        shutil.copy(MAVEN / name, tmp_path / name)
    assert import_maven(tmp_path, acting_user=org.otto).status == ImportStatus.SUCCEEDED
    lines = (tmp_path / "sales_pipeline.csv").read_text().splitlines()
    index, row = next((i, line) for i, line in enumerate(lines) if ",Engaging," in line)
    opportunity = row.split(",")[0]
    engaged = row.split(",")[5]
    lines[index] = ",".join([*row.split(",")[:4], "Lost", engaged, "2017-12-20", "0"])
    (tmp_path / "sales_pipeline.csv").write_text("\n".join(lines) + "\n")
    result = import_maven(tmp_path, acting_user=org.otto)
    assert result.status == ImportStatus.SUCCEEDED, result.report.lines()
    deal = Deal.objects.get(external_ref=f"maven:{opportunity}")
    assert deal.stage.code == "lost" and deal.lost_reason == ""
    assert str(deal.closed_on) == "2017-12-20"
    assert deal.stage_changes.order_by("changed_at").last().to_stage.code == "lost"
    texts = [note["text"] for note in result.report.notes]
    assert any("now marks lost were moved to lost without a reason" in text for text in texts)
