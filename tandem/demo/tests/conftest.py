import datetime
import hashlib

from django.apps import apps

# A fixed "today", so the numbers below never depend on the day the tests run.
TODAY = datetime.date(2026, 5, 20)


def checksum_of_all_rows() -> str:
    """SHA-256 over every row of every Tandem table (auto-created join tables included)."""
    digest = hashlib.sha256()
    for model in sorted(
        (
            m
            for m in apps.get_models(include_auto_created=True)
            if m.__module__.startswith("tandem")
        ),
        key=lambda m: m._meta.db_table,
    ):
        digest.update(model._meta.db_table.encode())
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()
