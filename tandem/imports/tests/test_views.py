from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from tandem.imports.generic import import_table

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
