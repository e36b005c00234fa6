"""How far a running job has come, for a progress bar and the command line.

Kept in a cache, not in the job's row: a job's work is often one long transaction (an import
is all-or-nothing), and what it writes inside it nobody sees until the end. The cache is Redis
where Tandem runs on several machines and files in the data folder on one (settings: CACHES).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import caches
from django.utils.translation import gettext

KEEP_SECONDS = 7 * 24 * 3600


def _key(job_id) -> str:
    return f"job-progress:{job_id}"


@dataclass
class Progress:
    """What a job's function reports to: `progress.step(gettext_noop("Reading"), done, total)`
    (the step's name in English, marked for translation: each reader sees it in their own
    language). Run from a command instead of a worker, it prints instead (`printing`)."""

    job_id: str | None
    step_name: str = ""
    done: int = 0
    total: int = 0
    echo: Callable[[str], object] | None = None

    @classmethod
    def printing(cls, stream) -> Progress:
        return cls(None, echo=lambda line: stream.write(line))

    def step(self, name: str = "", done: int = 0, total: int = 0) -> None:
        changed = name and name != self.step_name
        self.step_name, self.done, self.total = name or self.step_name, done, total
        if self.job_id is not None:
            caches["shared"].set(
                _key(self.job_id),
                {"step": self.step_name, "done": done, "total": total},
                KEEP_SECONDS,
            )
        elif self.echo is not None and changed:
            self.echo(gettext(self.step_name) + " …")


def progress_of(job_id) -> dict:
    """{"step", "done", "total"} as last reported (empty before the first report)."""
    return caches["shared"].get(_key(job_id)) or {}


def forget(job_id) -> None:
    caches["shared"].delete(_key(job_id))
