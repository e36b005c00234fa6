"""What every import shares: all-or-nothing runs, the report, and the ImportRun record.

An import is a function `work(report)` that first validates every row (adding every problem
to the report with its line number), then writes. `run_import` runs it in one transaction:

- any rejected row: the whole file is refused, the transaction rolled back, the database is as
  before, and a *rejected* ImportRun keeps the report (every bad line and why);
- `dry_run`: everything is checked and counted, then rolled back; nothing is recorded;
- nothing created or updated: the ImportRun says "already imported, nothing changed".

Report messages are stored as an English template plus parameters, so the imports page shows
them in the reader's language (the templates are marked with gettext_noop).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_noop

from tandem.audit.services import record
from tandem.core.errors import DomainError, RowsRejected
from tandem.imports.models import ImportRun, ImportStatus
from tandem.users.models import User

MAX_REPORTED_ERRORS = 1000


def message(template: str, **params: Any) -> dict:
    """A report message: an English template (marked with gettext_noop) and its values."""
    return {"text": template, "params": params}


def render_message(msg: dict | str) -> str:
    """The message in the active language, numbers grouped as the language writes them."""
    if isinstance(msg, str):
        return gettext(msg)
    params = {key: _render_param(value) for key, value in (msg.get("params") or {}).items()}
    try:
        return gettext(msg["text"]).format(**params)
    except (KeyError, IndexError, ValueError):
        return msg["text"].format(**params)


def _render_param(value: Any) -> Any:
    if isinstance(value, dict) and "text" in value:
        return render_message(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return formats.number_format(value, force_grouping=True)
    return value


class ImportRejected(Exception):
    """The file cannot be imported; the report names every reason."""


class _DryRunRollback(Exception):
    pass


@dataclass
class ImportReport:
    """Counts per kind of record (created / updated / unchanged), notes and rejected rows."""

    kind: str
    dry_run: bool = False
    records: dict[str, dict[str, int]] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    notes: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0

    def count(self, what: str, created: int = 0, updated: int = 0, unchanged: int = 0) -> None:
        row = self.records.setdefault(what, {"created": 0, "updated": 0, "unchanged": 0})
        row["created"] += created
        row["updated"] += updated
        row["unchanged"] += unchanged

    def outcome(self, what: str, created: bool, changed: bool) -> None:
        """Count one upserted record: created, updated or unchanged."""
        if created:
            self.count(what, created=1)
        elif changed:
            self.count(what, updated=1)
        else:
            self.count(what, unchanged=1)

    def note(self, template: str, /, **params: Any) -> None:
        self.notes.append(message(template, **params))

    def reject(self, line: int | None, template: str, /, **params: Any) -> None:
        """A row (line number in the file, 1 = header) or the file (line None) is bad."""
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append({"line": line, **message(template, **params)})

    def fail(self, template: str, /, **params: Any) -> ImportRejected:
        """Reject the whole file for one reason; `raise report.fail(...)`."""
        self.reject(None, template, **params)
        return ImportRejected(render_message(message(template, **params)))

    def check(self) -> None:
        """Call between validation and writing: refuse the file if any row was bad."""
        if self.error_count:
            raise ImportRejected(
                render_message(
                    message(
                        gettext_noop("{count} problems found; nothing was imported."),
                        count=self.error_count,
                    )
                )
            )

    @property
    def changed(self) -> bool:
        return any(row["created"] or row["updated"] for row in self.records.values())

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "records": self.records,
            "stats": self.stats,
            "notes": self.notes,
            "errors": self.errors,
            "error_count": self.error_count,
        }

    def lines(self) -> list[str]:
        """The report as sentences, for the command line."""
        out = []
        for what, row in self.records.items():
            out.append(
                gettext(
                    "{what}: {created} created, {updated} updated, {unchanged} unchanged"
                ).format(
                    what=what,
                    created=formats.number_format(row["created"], force_grouping=True),
                    updated=formats.number_format(row["updated"], force_grouping=True),
                    unchanged=formats.number_format(row["unchanged"], force_grouping=True),
                )
            )
        out.extend(render_message(note) for note in self.notes)
        for error in self.errors:
            text = render_message(error)
            if error.get("line") is not None:
                text = gettext("line {line}: {problem}").format(line=error["line"], problem=text)
            out.append(text)
        if self.error_count > len(self.errors):
            out.append(
                gettext("… and {count} more problems.").format(
                    count=self.error_count - len(self.errors)
                )
            )
        return out


@dataclass
class ImportResult:
    status: str
    report: ImportReport
    run: ImportRun | None

    @property
    def ok(self) -> bool:
        return self.status != ImportStatus.REJECTED


def file_sha256(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        with open(path, "rb") as handle:
            for block in iter(functools.partial(handle.read, 1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def run_import(
    kind: str,
    file_name: str,
    sha256: str,
    work: Callable[[ImportReport], None],
    *,
    acting_user: User | None,
    dry_run: bool = False,
) -> ImportResult:
    """Run `work` all-or-nothing and keep an ImportRun with its report (not for a dry run)."""
    report = ImportReport(kind=kind, dry_run=dry_run)
    started = timezone.now()
    try:
        with transaction.atomic():
            work(report)
            report.check()
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        status = ImportStatus.SUCCEEDED if report.changed else ImportStatus.UNCHANGED
    except ImportRejected:
        status = ImportStatus.REJECTED
    except RowsRejected as error:
        for line, problem in error.problems:
            report.reject(line, gettext_noop("{problem}"), problem=problem)
        status = ImportStatus.REJECTED
    except DomainError as error:
        report.reject(None, gettext_noop("{problem}"), problem=str(error.message))
        status = ImportStatus.REJECTED
    except ValidationError as error:
        report.reject(None, gettext_noop("{problem}"), problem="; ".join(error.messages))
        status = ImportStatus.REJECTED
    else:
        status = ImportStatus.SUCCEEDED if report.changed else ImportStatus.UNCHANGED
    if status == ImportStatus.UNCHANGED:
        report.note(gettext_noop("Already imported, nothing changed."))
    elif status == ImportStatus.REJECTED:
        report.note(gettext_noop("The file was rejected as a whole; the database is unchanged."))
    if dry_run:
        report.note(gettext_noop("Dry run: nothing was written."))
        return ImportResult(status=status, report=report, run=None)
    run = ImportRun.objects.create(
        kind=kind,
        file_name=file_name[:500],
        sha256=sha256,
        status=status,
        started_at=started,
        finished_at=timezone.now(),
        acting_user=acting_user,
        report=report.as_json(),
    )
    record(
        run,
        f"import.{status}",
        acting_user=acting_user,
        changes={"kind": kind, "file": file_name[-200:], "records": report.records},
    )
    return ImportResult(status=status, report=report, run=run)
