"""What one web node keeps, every other finds: the shared cache and the files live outside it.

Two processes stand for a web node and a worker: one puts a value in the shared cache (what a
job's progress bar reads) and writes a file, the other reads both. On one machine they share the
data folder, where the shared cache is a folder of its own; on two machines (each with its own
data folder) the shared cache is Redis (TANDEM_CACHE_URL) and the files a folder both mount.
"""

import os
import subprocess
import sys
import uuid

import pytest
import redis

from tandem import settings as tandem_settings
from tandem.core import checks

REDIS = os.environ.get("TANDEM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

# what a node does: keep a value in the shared cache and a file in the storage, or read them back
NODE = """
import sys, django
django.setup()
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
key, action = sys.argv[1:]
if action == "keep":
    caches["shared"].set(key, "kept by the first node", 60)
    print(default_storage.save(f"exports/{key}.csv", ContentFile(b"id;name\\n1;Kuehne\\n")))
else:
    print(caches["shared"].get(key))
    with default_storage.open(f"exports/{key}.csv") as file:
        print(file.read().decode())
"""


def run_node(data_dir, key: str, action: str, **environment) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")}
    env.update(
        DJANGO_SETTINGS_MODULE="tandem.settings", TANDEM_DATA_DIR=str(data_dir), **environment
    )
    run = subprocess.run(
        [sys.executable, "-c", NODE, key, action],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def redis_is_there() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.parametrize("machines", ["one machine", "two machines, Redis"])
def test_what_one_node_keeps_the_other_finds(machines, tmp_path):
    if machines != "one machine" and not redis_is_there():
        pytest.skip(f"no Redis answers at {REDIS} (TANDEM_TEST_REDIS_URL)")
    key = f"shared-{uuid.uuid4().hex}"
    shared = {
        "TANDEM_FILES_DIR": str(tmp_path / "files"),
        "TANDEM_SECRET_KEY": "one-key-for-every-node",
    }
    if machines == "one machine":
        first = second = tmp_path / "data"
    else:
        first, second = tmp_path / "node-a", tmp_path / "node-b"
        shared["TANDEM_CACHE_URL"] = REDIS
    saved = run_node(first, key, "keep", **shared).strip()
    assert saved == f"exports/{key}.csv"
    assert (tmp_path / "files" / saved).read_bytes() == b"id;name\n1;Kuehne\n"

    read = run_node(second, key, "read", **shared)
    assert read == "kept by the first node\nid;name\n1;Kuehne\n\n"


def test_the_files_go_to_the_folder_or_to_the_bucket():
    # the folder is MEDIA_ROOT, TANDEM_FILES_DIR (test_what_one_node_keeps_the_other_finds)
    assert tandem_settings.files_storage({}) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    bucket = tandem_settings.files_storage(
        {
            "TANDEM_S3_BUCKET": "tandem-files",
            "TANDEM_S3_ENDPOINT_URL": "https://s3.example.net",
            "TANDEM_S3_ACCESS_KEY_ID": "key",
            "TANDEM_S3_SECRET_ACCESS_KEY": "secret",
        }
    )
    assert bucket["BACKEND"] == "storages.backends.s3.S3Storage"
    assert bucket["OPTIONS"] == {
        "bucket_name": "tandem-files",
        "endpoint_url": "https://s3.example.net",
        "region_name": None,
        "access_key": "key",
        "secret_key": "secret",
        "location": "",
        "default_acl": "private",  # nothing in it is public: links are signed and expire
        "querystring_auth": True,
        "file_overwrite": False,
    }


def test_the_deploy_check_asks_for_one_secret_key_for_every_node(monkeypatch):
    monkeypatch.delenv("TANDEM_SECRET_KEY", raising=False)
    (warning,) = checks.secret_key_from_the_environment(None)
    assert warning.id == "tandem.W001" and "every web node" in warning.hint
    monkeypatch.setenv("TANDEM_SECRET_KEY", "one-key-for-every-node")
    assert checks.secret_key_from_the_environment(None) == []


def test_the_deploy_check_asks_for_a_shared_cache_where_workers_run_elsewhere(settings):
    settings.BROKER_URL, settings.CACHE_URL = "redis://10.0.0.5:6379/0", ""
    (warning,) = checks.shared_cache_with_a_broker(None)
    assert warning.id == "tandem.W002" and "TANDEM_CACHE_URL" in warning.hint
    settings.CACHE_URL = "redis://10.0.0.5:6379/1"
    assert checks.shared_cache_with_a_broker(None) == []
    settings.BROKER_URL = settings.CACHE_URL = ""  # one machine: the data folder is enough
    assert checks.shared_cache_with_a_broker(None) == []
