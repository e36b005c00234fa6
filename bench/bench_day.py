"""The day's work done by real workers: how long until every forecast and the KAM figures are
kept, with one worker or with several.

    .venv/bin/python bench/bench_day.py --scale 1
    .venv/bin/python bench/bench_day.py --existing postgres://…/tandem_big --workers 2 \
        --broker redis://127.0.0.1:6379/8

Builds `tandem demo --scale N` into a throw-away database (or takes an existing one), forgets
the day's forecasts and KAM figures, starts --workers `tandem worker` processes (one job at a
time each; the broker is --broker, or without it the folder of the embedded default), asks for
the day's work (`tandem jobs start nightly`) and waits until every job it handed out is done.
Prints the time from asking to the last job's end, each kind's jobs (count, longest, sum), and
how many ran side by side.
"""

import argparse
import os
import subprocess
import sys
import time

from throwaway import ROOT, benchmark_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--broker", help="TANDEM_BROKER_URL for the workers (default: a folder)")
    parser.add_argument("--database-url", help="a PostgreSQL server to create a database on")
    parser.add_argument("--existing", help="an existing database holding the demo (a URL)")
    args = parser.parse_args()
    with benchmark_database("day", args.database_url, args.existing):
        run(args)


def run(args) -> None:
    # Django is set up for the benchmark's database first: import it only now
    from django.core.management import call_command
    from django.db.models import Max, Min

    from tandem.demo.generator import build_demo
    from tandem.forecast.models import ForecastSnapshot
    from tandem.jobs.models import Job, JobStatus
    from tandem.pipeline.models import Deal

    call_command("migrate", verbosity=0)
    if not args.existing:
        build_demo(scale=args.scale, seed=args.seed)
    ForecastSnapshot.objects.all().delete()
    Job.objects.all().delete()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if args.broker:
        env["TANDEM_BROKER_URL"] = env["TANDEM_CACHE_URL"] = args.broker
        import redis  # only with a broker of Redis: the folder of the default needs none

        redis.Redis.from_url(args.broker).flushdb()
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "tandem", "worker", "--concurrency=1", "--no-schedule"]
            + ["--loglevel=WARNING"],
            env=env,
        )
        for _ in range(args.workers)
    ]
    try:
        time.sleep(5)  # the workers connect
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "tandem", "jobs", "start", "nightly"], env=env, check=True
        )
        asking = time.perf_counter() - started
        while (
            not Job.objects.filter(kind="nightly", status=JobStatus.DONE).exists()
            or Job.objects.exclude(status__in=[JobStatus.DONE, JobStatus.FAILED]).exists()
        ):
            time.sleep(0.5)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)
    failed = list(Job.objects.filter(status=JobStatus.FAILED).values_list("kind", "error"))
    span = Job.objects.aggregate(
        asked=Min("queued_at"), first=Min("started_at"), last=Max("finished_at")
    )
    wall = (span["last"] - span["asked"]).total_seconds()
    print(
        f"{Deal.objects.count():,} deals, {args.workers} workers: the day's work in {wall:.1f} s"
        f" from asking to the last job's end (the asking command took {asking:.1f} s)"
    )
    for kind in Job.objects.values_list("kind", flat=True).distinct().order_by("kind"):
        jobs = list(Job.objects.filter(kind=kind))
        seconds = [(j.finished_at - j.started_at).total_seconds() for j in jobs if j.finished_at]
        print(
            f"  {kind:<22} {len(jobs):>4} jobs, longest {max(seconds):6.1f} s,"
            f" sum {sum(seconds):7.1f} s"
        )
    span = Job.objects.aggregate(
        asked=Min("queued_at"), first=Min("started_at"), last=Max("finished_at")
    )
    print(
        f"  from asking to the first start: {(span['first'] - span['asked']).total_seconds():.1f} s"
    )
    busy = sum(
        (j.finished_at - j.started_at).total_seconds()
        for j in Job.objects.exclude(finished_at=None)
    )
    print(
        f"  side by side: {busy / (span['last'] - span['first']).total_seconds():.2f} jobs"
        " on average"
    )
    if failed:
        print(f"  FAILED: {failed}")


if __name__ == "__main__":
    main()
