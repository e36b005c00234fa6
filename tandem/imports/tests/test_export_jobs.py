"""A list's export of more rows than EXPORT_INLINE_ROWS is written by a job (exports.write):
the same file the page would have given, with the asker's scope, filters and order, whole or
not at all; a shorter one stays a download."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from tandem.core import exports
from tandem.imports.jobs import WRITING, write
from tandem.jobs.models import Job, JobStatus
from tandem.jobs.progress import Progress
from testsupport.builders import make_account, make_contract, make_deal
from testsupport.jobs import run_queued


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    """The default storage in a folder of the test's own; jobs wait for a worker, as they do
    outside the tests (run_queued is the worker), so a page is seen not to run one."""
    settings.JOBS_RUN_AT_ONCE = False
    folder = tmp_path / "files"
    folder.mkdir()
    settings.MEDIA_ROOT = str(folder)
    return folder


@pytest.fixture
def deals(org):
    """Alice's four proposals (one a formula to neutralise) and a won deal; Bob's proposal."""
    north = make_account(org.alice, name="=HYPERLINK(1)")
    mine = [
        make_deal(org.alice, north, name=f"Proposal {n}", stage_code="proposal") for n in range(4)
    ]
    mine.append(make_deal(org.alice, None, name="Won", stage_code="won"))
    make_deal(org.bob, name="Bob's proposal", stage_code="proposal")
    return mine


def exports_asked():
    """The export jobs (writing deals asks for jobs of its own: the KPI rollups')."""
    return Job.objects.filter(kind="exports.write")


def export_page(client, user, fmt, params, language="en"):
    client.force_login(user)
    return client.get(f"/deals/export/{fmt}/", params, headers={"accept-language": language})


def content(response) -> bytes:
    return b"".join(response) if response.streaming else response.content


def cells(data: bytes, fmt: str):
    """What a file says: its bytes, or for Excel its cells (a workbook's zip carries the time)."""
    if fmt != "xlsx":
        return data
    sheet = load_workbook(io.BytesIO(data)).active
    return [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]


def stored(job: Job) -> bytes:
    with default_storage.open(job.result["file"]) as stream:
        return stream.read()


def ids_in(data: bytes) -> list[int]:
    return [int(row["id"]) for row in csv.DictReader(io.StringIO(data.decode("utf-8")))]


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_the_job_writes_the_file_the_page_would_have_given(client, settings, deals, org, fmt):
    params = {"stage": "proposal", "sort": "-name"}
    inline = export_page(client, org.alice, fmt, params)
    assert inline.status_code == 200 and not exports_asked().exists()
    settings.EXPORT_INLINE_ROWS = 3
    response = export_page(client, org.alice, fmt, params)
    job = exports_asked().get()
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/" == reverse("jobs:job", args=[job.pk])
    assert (job.status, job.requested_by) == (JobStatus.QUEUED, org.alice)
    assert job.params == {
        "entity": "deals",
        "fmt": fmt,
        "user": org.alice.pk,
        "filters": {"stage": "proposal"},
        "sort": "-name",
    }
    run_queued()
    job.refresh_from_db()
    day = timezone.localdate().isoformat()
    assert (job.status, job.result) == (
        JobStatus.DONE,
        {"file": f"exports/{job.pk}/tandem-deals-{day}.{fmt}", "rows": 4, "format": fmt},
    )
    assert cells(stored(job), fmt) == cells(content(inline), fmt)


def test_a_reps_export_job_holds_only_their_rows(client, settings, deals, org):
    settings.EXPORT_INLINE_ROWS = 1
    export_page(client, org.alice, "csv", {})
    run_queued()
    assert sorted(ids_in(stored(exports_asked().get()))) == sorted(deal.pk for deal in deals)


@pytest.mark.parametrize(
    "language, words",
    [
        ("en", ["Export of a list", "Download the file", "4 rows", "Writing rows"]),
        ("de", ["Export einer Liste", "Datei herunterladen", "4 Zeilen", "Zeilen werden"]),
    ],
)
def test_the_job_page_offers_the_file_to_the_asker_alone(
    client, settings, deals, org, language, words
):
    settings.EXPORT_INLINE_ROWS = 1
    response = export_page(client, org.alice, "csv", {"stage": "won"}, language)
    assert response.status_code == 200  # one row: still a download
    response = export_page(client, org.alice, "csv", {"stage": "proposal"}, language)
    run_queued()
    job = exports_asked().get()
    page = client.get(response["Location"], headers={"accept-language": language})
    label, download, rows, step = words
    assert label in page.content.decode() and rows in page.content.decode()
    assert download in page.content.decode()
    file = client.get(reverse("jobs:download", args=[job.pk]))
    assert content(file) == stored(job)
    with translation.override(language):
        assert gettext(WRITING).startswith(step)
    client.force_login(org.bob)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_up_to_the_threshold_the_list_is_a_download_as_before(client, settings, deals, org):
    settings.EXPORT_INLINE_ROWS = len(deals)
    response = export_page(client, org.alice, "csv", {})
    assert response.status_code == 200
    assert sorted(ids_in(content(response))) == sorted(deal.pk for deal in deals)
    assert not exports_asked().exists()


def test_a_list_page_hands_its_long_export_to_the_job_with_its_sort(client, settings, deals, org):
    """The lists built on core.lists.filtered_list (here the accounts) go the same way."""
    make_account(org.alice, name="Another")
    client.force_login(org.alice)
    inline = client.get("/accounts/", {"export": "csv", "sort": "-name"})
    settings.EXPORT_INLINE_ROWS = 1
    client.get("/accounts/", {"export": "csv", "sort": "-name"})
    run_queued()
    job = exports_asked().get()
    assert (job.params["filters"], job.params["sort"]) == ({}, "-name")
    assert stored(job) == content(inline)


def test_the_renewals_job_keeps_the_pages_horizon_and_risk_order(client, settings, org):
    """The renewals page reads the old `within` as its horizon and orders by a risk score
    computed in Python: the job gets the horizon as the filter set took it, and the order."""
    today = timezone.localdate()
    for days, value in [(30, "900"), (400, "100"), (90, "5000")]:
        end = today + datetime.timedelta(days=days)
        make_contract(make_account(org.alice), end_on=end, annual_value=Decimal(value))
    client.force_login(org.hanna)
    params = {"export": "csv", "within": "3650", "sort": "-score"}
    inline = content(client.get("/key-accounts/renewals/", params))
    settings.EXPORT_INLINE_ROWS = 1
    client.get("/key-accounts/renewals/", params)
    run_queued()
    job = exports_asked().get()
    assert (job.params["filters"], job.params["sort"]) == ({"within_days": "3650"}, "-score")
    assert len(ids_in(inline)) == 3
    assert stored(job) == inline


def test_progress_is_reported_as_the_rows_are_written(deals, org, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    reports = []
    monkeypatch.setattr(Progress, "step", lambda self, *report: reports.append(report))
    job = Job.objects.create(kind="exports.write")
    write(Progress(str(job.pk)), "deals", "csv", org.alice.pk, {})
    assert reports == [(WRITING, 0, 5), (WRITING, 2, 5), (WRITING, 4, 5), (WRITING, 5, 5)]


def test_run_again_the_job_replaces_its_own_file(deals, org, files):
    job = Job.objects.create(kind="exports.write")
    first = write(Progress(str(job.pk)), "deals", "csv", org.alice.pk, {"stage": "won"})
    second = write(Progress(str(job.pk)), "deals", "csv", org.alice.pk, {"stage": "won"})
    assert first == second
    assert [path.name for path in (files / "exports" / str(job.pk)).iterdir()] == [
        first["file"].rsplit("/", 1)[1]
    ]


def failing_after_three_rows(monkeypatch):
    written = []

    def value(item):
        written.append(item)
        if len(written) > 3 * len(exports.EXPORT_ENTITIES["deals"].columns):
            raise OSError("No space left on device")
        return exports.text_value(item)

    monkeypatch.setattr(exports, "csv_value", value)


def test_a_failing_export_fails_its_job_and_leaves_no_file(
    client, settings, deals, org, files, monkeypatch
):
    settings.EXPORT_INLINE_ROWS = 1
    export_page(client, org.alice, "csv", {})
    failing_after_three_rows(monkeypatch)
    run_queued()
    job = exports_asked().get()
    assert job.status == JobStatus.FAILED
    assert "No space left on device" in job.error
    assert job.result == {}
    assert [path for path in files.rglob("*") if path.is_file()] == []


def test_a_filter_the_job_cannot_read_fails_it_with_the_reason(org):
    job = Job.objects.create(
        kind="exports.write",
        params={"entity": "deals", "fmt": "csv", "user": org.alice.pk, "filters": {"x": "1"}},
    )
    run_queued()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "Unknown filter x" in job.error


def test_the_command_fails_loudly_and_leaves_no_file(deals, tmp_path, monkeypatch):
    output = tmp_path / "deals.csv"
    call_command("export", "deals", "--output", str(output))
    whole = output.read_bytes()
    failing_after_three_rows(monkeypatch)
    with pytest.raises(CommandError, match="No space left on device"):
        call_command("export", "deals", "--output", str(output))
    assert output.read_bytes() == whole  # the earlier file is left as it was
    assert sorted(path.name for path in tmp_path.iterdir()) == ["deals.csv", "files"]


def test_a_list_longer_than_an_excel_sheet_is_refused_not_cut(deals, org, files, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 4)  # the header and three rows
    job = Job.objects.create(
        kind="exports.write",
        params={"entity": "deals", "fmt": "xlsx", "user": org.alice.pk, "filters": {}},
    )
    run_queued()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "An Excel sheet holds at most 3 rows" in job.error
    assert [path for path in files.rglob("*") if path.is_file()] == []
    with translation.override("de"), pytest.raises(CommandError) as refused:
        call_command("export", "deals", "--format", "xlsx", "--output", str(files / "d.xlsx"))
    assert "Ein Excel-Blatt fasst höchstens 3 Zeilen" in str(refused.value)
    assert list(files.iterdir()) == []
