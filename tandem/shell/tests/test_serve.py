"""`tandem serve` starts a real gunicorn server that answers HTTP and serves static files."""

import dataclasses
import os
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from testsupport.serving import get, serving

# The server runs on the embedded default (SQLite in its own data folder) whatever database the
# suite runs on: the run on SQLite covers it, the run on PostgreSQL would only repeat it.
pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="serves the embedded SQLite default, as the SQLite run"
)


@dataclasses.dataclass
class Server:
    process: subprocess.Popen
    base: str
    data_dir: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server the module's tests ask in turn (starting one takes seconds); the module's last
    test stops it."""
    data_dir = tmp_path_factory.mktemp("serve")
    with serving(data_dir, "--workers", "1") as (process, base):
        yield Server(process, base, data_dir)


def test_serve_answers_the_login_page_and_static_files(server):
    status, body = get(server.base + "/login/")
    assert status == 200 and b'id="login-form"' in body
    status, body = get(server.base + "/static/vendor/htmx/htmx.min.js")
    assert status == 200 and b"htmx" in body


def test_serve_sends_anonymous_visitors_to_the_login(server):
    request = urllib.request.Request(server.base + "/")
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(request, timeout=5)
    assert redirect.value.code == 302
    assert redirect.value.headers["Location"].startswith("/login/")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def worker_processes(server_pid: int) -> list[str]:
    """The `tandem worker` this server started (a child of it), and the worker's own children."""
    found: list[str] = []
    parents = {str(server_pid)}
    for _ in range(2):  # the worker, then its pool's processes
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit() or entry.name in found:
                continue
            try:
                with open(f"/proc/{entry.name}/stat") as stat:
                    parent = stat.read().rsplit(")", 1)[1].split()[1]
                with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                    words = cmdline.read().split(b"\0")
            except OSError:
                continue
            if parent in parents and b"worker" in words:
                found.append(entry.name)
        parents |= set(found)
    return found


def test_serve_does_the_day_s_work_in_its_worker_and_stops_it_with_the_server(server):
    """Last in the module: it stops the module's server."""
    process = server.process
    assert worker_processes(process.pid)
    deadline = time.monotonic() + 60
    kept = 0
    while time.monotonic() < deadline and not kept:
        with sqlite3.connect(server.data_dir / "tandem.sqlite3") as db:
            kept = db.execute(
                "SELECT COUNT(*) FROM forecast_forecastsnapshot WHERE kind = 'quarter'"
            ).fetchone()[0]
        time.sleep(0.5)
    assert kept  # the company's forecast of the quarter, kept for today
    workers = worker_processes(process.pid)
    process.terminate()
    process.wait(timeout=70)
    deadline = time.monotonic() + 10
    while any(os.path.exists(f"/proc/{pid}") for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}")]
