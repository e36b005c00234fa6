"""Load on running `tandem serve` nodes: 50, 100 and 200 logged-in users at once, then a soak.

    .venv/bin/python bench/bench_load.py                      # SQLite, the embedded default
    .venv/bin/python bench/bench_load.py --database-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/bench_load.py --existing postgres://…/tandem_big \
        --nodes 2 --replica --broker redis://127.0.0.1:6379/8 --soak-seconds 600

Builds the demo (--scale, default 1) in a throw-away database (see throwaway.py), or takes an
existing one (--existing), and starts --nodes `tandem serve` nodes on loopback (each with
--workers gunicorn workers and no job worker) plus one `tandem worker` for the jobs the writes
ask for; with --replica a real streaming replica of the database (testsupport/replica.py,
PostgreSQL, as root) that the nodes read from (DATABASE_REPLICA_URLS). Requests go to the nodes
in turn, as from a load balancer without sticky sessions. Each virtual user is a session of its
own, of a demo user of its role (the mix of a company: reps most, then managers and KAMs, a few
heads of sales and admins), and walks its role's pages and API lists over and over, logging an
activity through the API now and then, without pausing between requests (a closed loop: the
hardest load that many users can give). The users run as threads of this process, on the same
machine as the servers.

For each number of users: requests per second, p50/p95/p99 in ms, and errors (any answer other
than the expected status, or none within 120 s; must be 0). Then the soak: --soak-users users
for --soak-seconds, the memory of each node (gunicorn and its workers, resident) every 10 s,
and whether it grew from the first minute to the last (it must not).
"""

import argparse
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from throwaway import ROOT, benchmark_database

sys.path.insert(0, str(ROOT))
from testsupport.serving import free_port  # noqa: E402

PAGES = {
    "rep": [
        "/",
        "/deals/",
        "/deals/board/",
        "/accounts/",
        "/activities/",
        "/sales/",
        "/pay/",
        "/api/deals?limit=50",
        "/api/accounts?limit=50",
    ],
    "manager": [
        "/",
        "/sales/",
        "/deals/",
        "/accounts/",
        "/forecast/",
        "/pay/",
        "/coaching/",
        "/api/deals?limit=50",
    ],
    "kam": [
        "/",
        "/kam/",
        "/key-accounts/",
        "/key-accounts/plans/",
        "/key-accounts/renewals/",
        "/accounts/",
        "/api/accounts?limit=50",
    ],
    "head": ["/", "/sales/", "/forecast/", "/kam/", "/deals/", "/pay/"],
    "admin": ["/", "/imports/", "/people/", "/accounts/"],
}
ROLES = {  # how many of a company's users at once have each role, in a hundred
    "rep": 60,
    "manager": 15,
    "kam": 15,
    "head": 5,
    "admin": 5,
}
LOG_AN_ACTIVITY = 0.05  # of a rep's requests


class VirtualUser(threading.Thread):
    def __init__(self, bases, role, cookie, token, account_ids, stop, seed):
        super().__init__(daemon=True)
        self.bases, self.role, self.stop = itertools.cycle(bases), role, stop
        self.headers = {"Cookie": cookie, "Authorization": f"Bearer {token}"}
        self.account_ids = account_ids
        self.random = random.Random(seed)
        self.timings: list[float] = []
        self.errors: list[str] = []

    def run(self):
        pages = itertools.cycle(self.random.sample(PAGES[self.role], len(PAGES[self.role])))
        while not self.stop.is_set():
            if self.role == "rep" and self.random.random() < LOG_AN_ACTIVITY:
                self.ask("/api/activities", self.activity(), expected=201)
            else:
                self.ask(next(pages))

    def activity(self) -> bytes:
        return json.dumps(
            {
                "kind": "call",
                "subject": "Load test call",
                "occurred_at": "2026-12-01T10:00:00+01:00",
                "account": self.random.choice(self.account_ids),
            }
        ).encode()

    def ask(self, path: str, body: bytes | None = None, expected: int = 200) -> None:
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(next(self.bases) + path, data=body, headers=headers)
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError as error:
            status = f"{type(error).__name__}: {error}"
        if self.stop.is_set():
            return  # cut short by the end of the round: not counted
        self.timings.append(time.perf_counter() - started)
        if status != expected:
            self.errors.append(f"{path}: {status}")


def server_memory(pid: int) -> int:
    """Resident bytes of the server and every process under it."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                parent = int(
                    Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[1].split()[1]
                )
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            pages = int(Path(f"/proc/{current}/statm").read_text().split()[1])
        except OSError:
            continue
        total += pages * os.sysconf("SC_PAGE_SIZE")
        todo.extend(children.get(current, []))
    return total


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def load(bases, sessions, users: int, seconds: float, on_tick=None) -> dict:
    """`users` virtual users for `seconds`; their timings and errors."""
    stop = threading.Event()
    crowd = [
        VirtualUser(bases, *sessions[index % len(sessions)], stop, seed=index)
        for index in range(users)
    ]
    started = time.perf_counter()
    for user in crowd:
        user.start()
    while (elapsed := time.perf_counter() - started) < seconds:
        time.sleep(min(10, seconds - elapsed))
        if on_tick:
            on_tick(time.perf_counter() - started)
    stop.set()
    for user in crowd:
        user.join(timeout=130)
    timings = [t for user in crowd for t in user.timings]
    errors = [e for user in crowd for e in user.errors]
    return {"timings": timings, "errors": errors, "seconds": time.perf_counter() - started}


def report(users: int, result: dict) -> None:
    timings = result["timings"]
    print(
        f"{users:>4} users: {len(timings) / result['seconds']:7.1f} requests/s, "
        f"p50 {percentile(timings, 0.50) * 1000:7.0f} ms, "
        f"p95 {percentile(timings, 0.95) * 1000:7.0f} ms, "
        f"p99 {percentile(timings, 0.99) * 1000:7.0f} ms, "
        f"{len(timings):,} requests, {len(result['errors'])} errors",
        flush=True,
    )
    for error in sorted(set(result["errors"]))[:10]:
        print(f"       error: {error}")


def sessions_of_the_demo() -> list[tuple]:
    """(role, session cookie, API token, visible account ids) for 100 users of the role mix."""
    # Django is set up for the benchmark's database first: import it only now
    from django.conf import settings
    from django.test import Client

    from tandem.accounts.selectors import visible_accounts
    from tandem.users.models import Role, User
    from tandem.users.services import create_api_token

    roles = {
        "rep": Role.SALES_REP,
        "manager": Role.SALES_MANAGER,
        "kam": Role.KEY_ACCOUNT_MANAGER,
        "head": Role.HEAD_OF_SALES,
        "admin": Role.ADMIN,
    }
    settings.ALLOWED_HOSTS = ["*"]
    sessions = []
    for role, share in ROLES.items():
        people = list(User.objects.filter(role=roles[role], is_active=True).order_by("pk"))
        for index in range(share):
            user = people[index % len(people)]
            client = Client()
            client.force_login(user)
            _token, raw = create_api_token(user, name=f"load {index}", acting_user=None)
            accounts = list(visible_accounts(user).values_list("pk", flat=True)[:200])
            name = settings.SESSION_COOKIE_NAME
            cookie = f"{name}={client.cookies[name].value}"
            sessions.append((role, cookie, raw, accounts))
    random.Random(0).shuffle(sessions)
    return sessions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL server to create a database on")
    parser.add_argument("--existing", help="an existing database holding the demo (a URL)")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--users", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--soak-users", type=int, default=50)
    parser.add_argument("--soak-seconds", type=float, default=600)
    parser.add_argument("--nodes", type=int, default=1)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per node")
    parser.add_argument("--replica", action="store_true", help="read from a streaming replica")
    parser.add_argument("--broker", help="TANDEM_BROKER_URL and TANDEM_CACHE_URL (Redis)")
    args = parser.parse_args()
    with benchmark_database("load", args.database_url, args.existing):
        if args.replica:
            # it reads Django's settings, set up for the benchmark's database only now
            from testsupport.replica import streaming_replica

            with streaming_replica() as replica:
                run(args, replica.url())
        else:
            run(args, None)


def start(command: list[str], env: dict, log) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tandem", *command], env=env, stdout=log, stderr=subprocess.STDOUT
    )


def run(args, replica_url: str | None) -> None:
    # Django is set up for the benchmark's database first: import it only now
    from io import StringIO

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if not args.existing:
        call_command("demo", "--scale", str(args.scale), stdout=StringIO(), stderr=StringIO())
    sessions = sessions_of_the_demo()
    connection.close()  # the servers are the only ones using the database from now on
    env = dict(os.environ, TANDEM_SECRET_KEY=settings.SECRET_KEY, CONN_MAX_AGE="600")
    if replica_url:
        env["DATABASE_REPLICA_URLS"] = replica_url
    if args.broker:
        env["TANDEM_BROKER_URL"] = env["TANDEM_CACHE_URL"] = args.broker
    log = open(settings.DATA_DIR / "server.log", "w")  # noqa: SIM115 (open while it serves)
    ports = [free_port() for _ in range(args.nodes)]
    nodes = [
        start(
            ["serve", "--port", str(port), "--workers", str(args.workers), "--no-worker"],
            env,
            log,
        )
        for port in ports
    ]
    worker = start(["worker", "--concurrency=1", "--no-schedule"], env, log)
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base in bases:
            for _ in range(600):
                try:
                    urllib.request.urlopen(base + "/login/", timeout=5).read()
                    break
                except OSError:
                    time.sleep(0.2)
        print(
            f"database {connection.vendor}{' + a streaming replica' if replica_url else ''},"
            f" {args.nodes} node(s) of {args.workers} workers, pids"
            f" {[node.pid for node in nodes]}, a job worker"
        )
        load(bases, sessions, 5, 10)  # warm up: each worker's first pages
        for users in args.users:
            report(users, load(bases, sessions, users, args.seconds))

        memory: list[tuple[float, list[int]]] = []

        def sample(elapsed):
            memory.append((elapsed, [server_memory(node.pid) for node in nodes]))
            shown = ", ".join(f"{m / 2**20:6.1f}" for m in memory[-1][1])
            print(f"       {elapsed:5.0f} s: {shown} MiB", flush=True)

        sample(0)
        result = load(bases, sessions, args.soak_users, args.soak_seconds, on_tick=sample)
        report(args.soak_users, result)
        for index in range(len(nodes)):
            first = [m[index] for t, m in memory if t <= 60]
            last = [m[index] for t, m in memory if t >= memory[-1][0] - 60]
            first_mib = statistics.median(first) / 2**20
            last_mib = statistics.median(last) / 2**20
            print(
                f"soak of {args.soak_seconds:.0f} s: node {index + 1} {first_mib:.1f} MiB in the"
                f" first minute, {last_mib:.1f} MiB in the last ({last_mib / first_mib - 1:+.1%})"
            )
    finally:
        for process in [*nodes, worker]:
            process.terminate()
        for process in [*nodes, worker]:
            process.wait(timeout=60)
        log.close()
        tracebacks = Path(log.name).read_text().count("Traceback")
        print(f"server log: {tracebacks} tracebacks ({log.name} is removed with the database)")


if __name__ == "__main__":
    main()
