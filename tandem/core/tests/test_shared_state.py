"""What one web node keeps, every other finds: the cache and the files live outside the process.

Two processes stand for two nodes (each with a data folder of its own): one puts a value in the
cache and writes a file, the other reads both. The cache is the database's (the default) on the
test database (on SQLite a file copy of it), or Redis where TANDEM_CACHE_URL names it.
"""

import os
import sqlite3
import subprocess
import sys
import uuid

import pytest
import redis
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from tandem import settings as tandem_settings
from tandem.core import checks
from testsupport.serving import url_of_the_test_database

REDIS = os.environ.get("TANDEM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

# what a node does: keep a value in the cache and a file in the storage, or read them back
NODE = """
import sys, django
django.setup()
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
key, action = sys.argv[1:]
if action == "keep":
    cache.set(key, "kept by the first node", 60)
    print(default_storage.save(f"exports/{key}.csv", ContentFile(b"id;name\\n1;Kuehne\\n")))
else:
    print(cache.get(key))
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


@pytest.fixture
def database_url(tmp_path) -> str:
    """The test database for processes of their own: its tables, the cache table among them,
    were committed when it was made."""
    if connection.vendor == "postgresql":
        return url_of_the_test_database()
    path = tmp_path / "tandem.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()
    return f"sqlite:///{path}"


# SQLite's in-memory test database is copied for the nodes, which waits for no open transaction
@pytest.mark.django_db(transaction=connection.vendor == "sqlite")
@pytest.mark.parametrize("cache_url", ["", REDIS], ids=["database cache", "redis"])
def test_what_one_node_keeps_the_other_finds(cache_url, database_url, tmp_path):
    if cache_url and not redis_is_there():
        pytest.skip(f"no Redis answers at {REDIS} (TANDEM_TEST_REDIS_URL)")
    key = f"shared-{uuid.uuid4().hex}"
    shared = {
        "DATABASE_URL": database_url,
        "TANDEM_FILES_DIR": str(tmp_path / "files"),
        "TANDEM_SECRET_KEY": "one-key-for-every-node",
    }
    if cache_url:
        shared["TANDEM_CACHE_URL"] = cache_url
    saved = run_node(tmp_path / "node-a", key, "keep", **shared).strip()
    assert saved == f"exports/{key}.csv"
    assert (tmp_path / "files" / saved).read_bytes() == b"id;name\n1;Kuehne\n"

    read = run_node(tmp_path / "node-b", key, "read", **shared)
    assert read == "kept by the first node\nid;name\n1;Kuehne\n\n"


@pytest.mark.django_db
def test_migrate_makes_the_cache_table_of_a_fresh_database():
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE tandem_cache")
    assert "tandem_cache" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "tandem_cache" in connection.introspection.table_names()
    cache.set("after-migrate", 1)
    assert cache.get("after-migrate") == 1


def test_the_cache_comes_from_tandem_cache_url():
    assert tandem_settings.cache_from_url("")["BACKEND"].endswith("db.DatabaseCache")
    redis_cache = tandem_settings.cache_from_url("redis://10.0.0.5:6379/1")
    assert redis_cache == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://10.0.0.5:6379/1",
    }
    with pytest.raises(ImproperlyConfigured, match="redis://"):
        tandem_settings.cache_from_url("memcached://10.0.0.5:11211")


def test_the_files_go_to_the_folder_or_to_the_bucket():
    folder = tandem_settings.files_storage({})
    assert folder["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert folder["OPTIONS"]["location"] == tandem_settings.FILES_DIR
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
