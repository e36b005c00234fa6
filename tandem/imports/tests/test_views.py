import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from tandem.imports.generic import import_table
from tandem.imports.models import ImportRun, ImportStatus

URL = "/imports/"


def test_url_name():
    assert reverse("imports:import_list") == URL


@pytest.mark.parametrize("who", ["alice", "mona", "kim", "hanna"])
def test_only_admins_see_the_imports_page(client, org, who):
    client.force_login(getattr(org, who))
    assert client.get(URL).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, db):
    assert client.get(URL).status_code == 302


def test_admin_sees_runs_with_their_report(client, org, tmp_path: Path):
    path = tmp_path / "deals.csv"
    path.write_text("name,product,value\nBig,Warp Core,5\n", encoding="utf-8")
    import_table("deals", path, acting_user=org.otto)
    client.force_login(org.otto)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rejected, nothing imported" in html
    assert "Line 2" in html and "unknown product “Warp Core”" in html


def test_the_page_speaks_german(client, org, tmp_path):
    client.force_login(org.otto)
    with translation.override("de"):
        response = client.get(URL, headers={"accept-language": "de"})
    assert response.status_code == 200
    assert "Noch keine Importe." in response.content.decode()


def test_the_runs_are_filtered_by_status_kind_and_day(client, org):
    day = datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC)
    runs = [
        ImportRun.objects.create(
            kind=["deals", "maven", "revenue"][i % 3],
            file_name=f"file-{i}.csv",
            sha256=f"{i:064}",
            status=list(ImportStatus)[i % 3],
            started_at=day + datetime.timedelta(days=i),
            finished_at=day + datetime.timedelta(days=i, minutes=1),
        )
        for i in range(30)
    ]
    client.force_login(org.otto)

    def listed(params: dict) -> list[int]:
        found, page = [], 1
        while True:
            html = client.get(URL, {**params, "page": page}).content.decode()
            found += [int(pk) for pk in re.findall(r'id="import-(\d+)"', html)]
            if "Older" not in html:
                return found
            page += 1

    newest_first = sorted(runs, key=lambda run: run.started_at, reverse=True)
    assert listed({}) == [run.pk for run in newest_first]
    assert listed({"status": ImportStatus.REJECTED}) == [
        run.pk for run in newest_first if run.status == ImportStatus.REJECTED
    ]
    assert listed({"kind": "maven", "started_after": "2026-03-10"}) == [
        run.pk for run in newest_first if run.kind == "maven" and run.started_at.day >= 10
    ]
    assert listed({"started_before": "2026-03-02", "sort": "started_at"}) == [
        runs[0].pk,
        runs[1].pk,
    ]
    nothing = client.get(URL, {"kind": "maven", "status": ImportStatus.REJECTED})
    assert "No imports match these filters." in nothing.content.decode()
    wrong = client.get(URL, {"started_after": "someday"})
    assert "started_after" in wrong.context["filters"].errors
    assert 'class="import-run"' not in wrong.content.decode()
