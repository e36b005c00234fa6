"""The kinds of job: what each runs, how often it may fail, how long it may take, and when
scheduled ones are due.

An app declares a job in its own `jobs.py`:

    @job("forecast.learn", _("Learning a forecast"), timeout=900, attempts=3)
    def learn(progress, team=None): ...

The function gets a `Progress` to report to, then the job's parameters (JSON values). It must
be idempotent: a job whose worker died is run again from the start.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from celery.schedules import crontab
from django.utils.functional import Promise

StrOrPromise = str | Promise


@dataclass(frozen=True)
class Daily:
    """Due once a day at a local time."""

    at: datetime.time

    def slot(self, now: datetime.datetime) -> str:
        """The due time this moment belongs to: today's if it has passed, else yesterday's.
        Every scheduler that fires for the same due time names the same slot."""
        due = now.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
        if due > now:
            due -= datetime.timedelta(days=1)
        return due.date().isoformat()

    def crontab(self) -> crontab:
        return crontab(hour=self.at.hour, minute=self.at.minute)


@dataclass(frozen=True)
class Every:
    """Due every few minutes, counted from midnight (a divisor of 60 keeps them on the clock)."""

    minutes: int

    def slot(self, now: datetime.datetime) -> str:
        minute = (now.hour * 60 + now.minute) // self.minutes * self.minutes
        return f"{now.date().isoformat()}T{minute // 60:02}:{minute % 60:02}"

    def crontab(self) -> crontab:
        return crontab(minute=f"*/{self.minutes}")


@dataclass(frozen=True)
class JobKind:
    name: str
    label: StrOrPromise  # what people see (a lazy translation)
    function: Callable
    timeout: int  # seconds of work before the job is stopped (and counted as a failure)
    attempts: int  # tries before the job is given up as failed
    backoff: int  # seconds before the second try; doubled for each one after
    schedule: Daily | Every | None = None
    at_start: bool = False  # also due when a worker starts (the day's work after a restart)

    def delay_before(self, attempt: int) -> int:
        """Seconds to wait before try `attempt` (2, 3, ...): exponential, at most an hour."""
        return min(3600, self.backoff * 2 ** (attempt - 2))


KINDS: dict[str, JobKind] = {}


def job(
    name: str,
    label: StrOrPromise,
    *,
    timeout: int = 600,
    attempts: int = 3,
    backoff: int = 10,
    schedule: Daily | Every | None = None,
    at_start: bool = False,
) -> Callable[[Callable], Callable]:
    """Declare a kind of job (see the module's docstring)."""

    def declare(function: Callable) -> Callable:
        KINDS[name] = JobKind(name, label, function, timeout, attempts, backoff, schedule, at_start)
        return function

    return declare


def kind_of(name: str) -> JobKind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"no job of kind {name!r} is declared") from None
