"""The io floor's background work. Imports (an upload in the web, or `tandem jobs start`):
all-or-nothing like every import, so a try cut short leaves nothing and the next try starts
clean. A list's export too long for a page request: written whole into the default storage
for the job's page to offer."""

import tempfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tandem.core.exports import export_filename, write_export
from tandem.core.replicas import reading_from_replica
from tandem.imports.exports import filtered_rows
from tandem.imports.maven import import_maven
from tandem.jobs.registry import job
from tandem.jobs.services import enqueue
from tandem.users.models import User

WRITING = gettext_noop("Writing rows")


@job("imports.maven", _("Import of the Maven CRM data"), timeout=3600, attempts=3)
def maven(progress, path: str, user: int) -> dict:
    progress.step(gettext_noop("Importing"), 0, 1)
    result = import_maven(path, acting_user=User.objects.get(pk=user))
    progress.step(gettext_noop("Importing"), 1, 1)
    return {"import_run": result.run.pk if result.run else None, "status": result.status}


@job("exports.write", _("Export of a list"), timeout=3600, attempts=2)
def write(
    progress, entity: str, fmt: str, user: int, filters: dict[str, str], sort: str | None = None
) -> dict:
    """`user`'s rows of `entity` through the list's filter set, sorted as the list was, into
    `exports/<job id>/`. The file is written to a temporary file first and stored only once
    whole: a failed export leaves no file that looks done. Run again, it replaces its own."""
    rows = filtered_rows(entity, User.objects.get(pk=user), filters, sort)
    written = 0

    def counted(done: int) -> None:
        nonlocal written
        written = done
        progress.step(WRITING, done, total)

    folder = f"exports/{progress.job_id}"
    _remove_files_in(folder)
    # an export may be a moment behind: from a replica where there is one (docs/replicas.md)
    with tempfile.TemporaryFile() as stream, reading_from_replica():
        total = rows.count()
        progress.step(WRITING, 0, total)
        write_export(entity, rows, fmt, stream, counted)
        stream.seek(0)
        name = f"{folder}/{export_filename(entity, fmt)}"
        try:
            name = default_storage.save(name, File(stream, name=name))
        except BaseException:
            _remove_files_in(folder)  # what the storage wrote of it before it failed
            raise
    return {"file": name, "rows": written, "format": fmt}


def _remove_files_in(folder: str) -> None:
    try:
        names = default_storage.listdir(folder)[1]
    except FileNotFoundError:  # a folder on disk before its first file (a bucket has none)
        return
    for name in names:
        default_storage.delete(f"{folder}/{name}")


def export_later(user: User, entity: str, fmt: str, filters: dict[str, str], sort: str) -> str:
    """Ask for the export of a list too long for a page request; the job page's address."""
    asked = enqueue(
        "exports.write",
        requested_by=user,
        entity=entity,
        fmt=fmt,
        user=user.pk,
        filters=filters,
        sort=sort,
    )
    return reverse("jobs:job", args=[asked.pk])
