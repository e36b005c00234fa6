"""`tandem serve` in a process of its own, for tests that need the real server over HTTP."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection


def url_of_the_test_database(application: str = "") -> str:
    """The PostgreSQL test database as a URL, for a process of its own (a server, an import);
    `application` names that process's connections, so a test can tell them from the others."""
    database = connection.settings_dict
    return (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        + (f"?application_name={application}" if application else "")
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, response.read()


@contextlib.contextmanager
def serving(data_dir: Path, *options: str, database_url: str | None = None, **environment):
    """`tandem serve` on a free port with its own data folder (on the embedded SQLite unless a
    database URL is given), yielded with its address once it answers; then stopped."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TANDEM_DATA_DIR=str(data_dir), **environment)
    if database_url:
        env["DATABASE_URL"] = database_url
    process = subprocess.Popen(
        [sys.executable, "-m", "tandem", "serve", "--port", str(port), *options],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            get(base + "/login/")
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(process.stdout.read().decode())
            time.sleep(0.3)
    try:
        yield process, base
    finally:
        process.terminate()
        process.wait(timeout=10)
