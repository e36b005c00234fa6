import datetime
import hashlib

from django.apps import apps
from django.db import models

from tandem.demo.extensions import DEMO_MODULES

# The apps whose rows the demo's extensions write (tandem.demo.renewals writes renewals' rows …)
EXTENSION_APPS = {module.__name__.replace("tandem.demo.", "tandem.") for module in DEMO_MODULES}

# A fixed "today", so the numbers below never depend on the day the tests run.
TODAY = datetime.date(2026, 5, 20)


# The figures computed from the demo's rows: the KPI rollups and the KAM figures
FOLDED_APPS = {"tandem.kpis", "tandem.kam"}


def _is_extension(model) -> bool:
    """Rows the apps on top of the core demo write through their services (the coaching
    demo also sets development goals in tandem.people), and the figures folded from the
    demo's rows: their ids are the database's to number (PostgreSQL's plan for the folding
    query decides their order), their contents are what the same seed must reproduce."""
    return model._meta.app_config.name in EXTENSION_APPS | FOLDED_APPS or (
        model._meta.label in {"people.DevelopmentGoal"}
    )


def _stable_fields(model) -> list[str]:
    """The columns of an extension row that the same seed must reproduce: not its id, not
    when it was written, not ids of other extension rows (their services number them)."""
    names = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if isinstance(field, models.DateTimeField) and (
            field.auto_now or field.auto_now_add or model._meta.app_config.name in FOLDED_APPS
        ):
            continue  # when written or computed
        if field.is_relation and _is_extension(field.related_model):
            continue
        names.append(field.attname)
    return names


def checksum_of_all_rows() -> str:
    """SHA-256 over every row of every Tandem table (auto-created join tables included).

    The core demo writes its own ids, so its rows are compared whole. The apps on top of it
    (tandem.demo.extensions) write through their services and the rollups are folded by the
    database: their rows are compared without ids and write times, and the audit trail those
    services leave is left out, as are the jobs their writes asked for (a record of work)."""
    digest = hashlib.sha256()
    for model in sorted(
        (
            m
            for m in apps.get_models(include_auto_created=True)
            if m.__module__.startswith("tandem") and m._meta.app_label not in ("audit", "jobs")
        ),
        key=lambda m: m._meta.db_table,
    ):
        digest.update(model._meta.db_table.encode())
        if _is_extension(model):
            rows = sorted(repr(row) for row in model.objects.values_list(*_stable_fields(model)))
        else:
            rows = [repr(row) for row in model.objects.order_by("pk").values_list()]
        for row in rows:
            digest.update(row.encode())
    return digest.hexdigest()
