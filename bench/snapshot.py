"""Snapshots of Tandem's pages and KPI JSON, to show that a refactor changes neither.

    .venv/bin/python bench/snapshot.py take OUTDIR
    .venv/bin/python bench/snapshot.py compare OLDDIR NEWDIR [--rename OLD=NEW …]

`take` pins the clock to 2026-12-07 10:00 UTC (time_machine, not ticking) and writes:

- pages/<role>/<lang>/<url>.html: the pages of every demo role (rep, manager, kam, head, admin)
  in English and German, crawled breadth-first from "/" in a throw-away SQLite database holding
  `tandem demo`: same-site `href`s of `<a>` and `hx-get`s (fetched with `HX-Request: true`,
  saved as hx@<url>.html), GET only, without logout, /admin/, /static/, /i18n/, /api/ and
  exports; at most 2 URLs per pattern (digits -> <n>, UUIDs -> <uuid>, query keys sorted,
  values dropped) per role and language. CSRF tokens become "CSRF", random UUIDs uuid-0001, …
  in the order they first appear (file names too). pages/index.json: role -> lang -> url ->
  HTTP status of every fetched URL.
- kpis/<dataset>/<role>_<period>.json: what `tandem kpis --role R --format json [--period P]`
  prints, byte for byte (or the error), seen by a new admin in a fresh database per data set
  ($TANDEM_DATASETS, default ../shared/datasets beside the repository): maven (sales and KAM,
  2016Q4-2017), online_retail (KAM 2011 and quarters, sales 2011), both also for the default
  period; and demo (the pages' database after the crawl: its key accounts fill the KAM report).
- kpis/maven/backtest_<period>.json: what `tandem forecast backtest --format json` prints for
  the Maven data set, by month over 2017 and by quarter over 2017Q1-Q4.
- report.json and took.json, not compared: the URL routes reached and never reached, the
  answers that were not HTML; the seconds `take` took.

`compare` prints identical / differing / only-in-old / only-in-new counts and the first 40 lines
of a unified diff of each difference; it exits 0 only when everything is identical. `--rename
OLD=NEW` replaces a text in the old snapshot first, for what a refactor renames on purpose and
a user never sees (a static file's folder, a URL name in a data attribute); it prints how often
each rename applied.

A black box, so that the same file runs before and after a refactor: only crawled URLs, the
login form, set_language, `tandem` commands and Django's test Client, no Tandem module. Each
database is built by a child process (`_pages`, `_kpis DATASET`) with PYTHONHASHSEED=0, a fixed
secret key, English as the terminal language, the default time zone and currency. Needs the
test dependency group for time_machine: `uv sync --group test`.
"""

import datetime
import difflib
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.UTC)
ROLES = ["rep", "manager", "kam", "head", "admin"]
LANGUAGES = ["en", "de"]
PASSWORD = "tandem-demo"
PER_PATTERN = 2
SKIPPED = ("/admin/", "/static/", "/i18n/", "/api/", "/logout/", "/media/")
REDIRECTS = {301, 302, 303, 307, 308}
MAVEN_PERIODS = ["", "2017", "2017Q1", "2017Q2", "2017Q3", "2017Q4", "2017-06", "2016Q4"]
DATASETS = {
    "maven": (
        ["import", "maven", "maven_crm"],
        [(role, p) for role in ("sales", "kam") for p in MAVEN_PERIODS],
    ),
    "online_retail": (
        ["import", "revenue", "online_retail/online_retail.csv.gz"],
        [("sales", ""), ("sales", "2011"), ("kam", "")]
        + [("kam", p) for p in ("2011", "2011Q1", "2011Q2", "2011Q3", "2011Q4")],
    ),
}
BACKTESTS = {  # `tandem forecast backtest … --format json` of a data set, by file name
    "maven": {
        "backtest_month": ["--from", "2017-01", "--to", "2017-12"],
        "backtest_quarter": ["--period", "quarter", "--from", "2017Q1", "--to", "2017Q4"],
    },
}
DEMO_KPIS = [(role, p) for role in ("sales", "kam") for p in ("", "2025", "2026", "2026Q3")]
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken"\s+value=")[^"]*')
CSRF_VALUE = re.compile(r"""(?i)(csrf[\w-]*["']?\s*[:=]\s*["']?)[A-Za-z0-9]{32,64}""")


# --- the child processes: one throw-away database each --------------------------------------


def start_child() -> None:
    """Pin the clock, then set Django up for the database the parent chose (see `child`)."""
    try:
        # time_machine comes with the test dependencies; a clear message when it is missing
        import time_machine
    except ImportError:
        raise SystemExit("needs time_machine: uv sync --group test") from None

    time_machine.travel(NOW, tick=False).start()
    sys.path.insert(0, str(ROOT))
    # the environment (database, clock, language) is set above, before Django starts
    import django

    django.setup()


def quiet_command(*args) -> None:
    # Django is set up by start_child() in this process before this runs
    from django.core.management import call_command

    call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())


class Links(HTMLParser):
    """The `href` of every <a> and every `hx-get`, in document order: (url, is_htmx)."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.found.append((attrs["href"], False))
        if attrs.get("hx-get"):
            self.found.append((attrs["hx-get"], True))


def same_site(base: str, link: str) -> str | None:
    """`link` as a path with query, when it is a page of this site the crawl should open."""
    parts = urlsplit(urljoin("http://testserver" + base, link.strip()))
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    keys = {key for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if parts.path.startswith(SKIPPED) or "/export/" in parts.path or "export" in keys:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def pattern_key(url: str, htmx: bool) -> str:
    """What counts as the same kind of URL: digits and UUIDs in the path, query keys only."""
    parts = urlsplit(url)
    path = re.sub(r"\d+", "<n>", UUID.sub("<uuid>", parts.path))
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return ("hx " if htmx else "") + path + ("?" + "&".join(keys) if keys else "")


UUIDS: dict[str, str] = {}  # a random UUID -> uuid-0001, … in the order first seen


def normalise(text: str) -> str:
    """Remove what differs between two runs of the same code: CSRF tokens, random UUIDs."""
    text = CSRF_VALUE.sub(r"\1CSRF", CSRF_INPUT.sub(r"\1CSRF", text))
    return UUID.sub(lambda m: UUIDS.setdefault(m[0].lower(), f"uuid-{len(UUIDS) + 1:04d}"), text)


def file_name(url: str, htmx: bool) -> str:
    name = quote(normalise(url).lstrip("/"), safe="?=&").replace("%2F", "+") or "_root"
    if len(name) > 180:
        name = name[:160] + "~" + hashlib.sha1(name.encode()).hexdigest()[:12]
    return ("hx@" if htmx else "") + name + ".html"


def log_in(role: str, language: str, routes: Counter):
    """A Client logged in through the login form the site redirects to, in `language`."""
    # Django is set up by start_child() in this process before this runs
    from django.test import Client
    from django.urls import resolve

    client = Client(raise_request_exception=False, headers={"accept-language": language})
    login = urlsplit(client.get("/")["Location"]).path
    routes[resolve(login).route] += 1
    answer = client.post(login, {"username": role, "password": PASSWORD})
    if answer.status_code not in REDIRECTS:
        raise SystemExit(f"logging in as {role} failed: {answer.status_code}")
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    return client


def crawl(client, folder: Path, routes: Counter, other: list) -> dict:
    """Open the pages breadth-first from "/"; save the HTML; return {url: status}."""
    # Django is set up by start_child() in this process before this runs
    from django.urls import Resolver404, resolve

    statuses = {}
    queue = deque([("/", False)])
    seen = {("/", False)}
    taken = Counter({pattern_key("/", False): 1})
    folder.mkdir(parents=True, exist_ok=True)
    while queue:
        url, htmx = queue.popleft()
        answer = client.get(url, headers={"HX-Request": "true"} if htmx else {})
        label = ("hx " if htmx else "") + normalise(url)
        statuses[label] = answer.status_code
        try:
            routes[resolve(urlsplit(url).path).route] += 1
        except Resolver404:
            pass
        if answer.status_code in REDIRECTS:
            links = [(answer["Location"], False)]
        elif answer.get("Content-Type", "").startswith("text/html"):
            text = answer.content.decode()
            (folder / file_name(url, htmx)).write_text(normalise(text))
            parser = Links()
            parser.feed(text)
            links = parser.found
        else:
            kind = answer.get("Content-Type")
            other.append(f"{folder.parent.name}/{folder.name} {label} {answer.status_code} {kind}")
            links = []
        for link, link_htmx in links:
            target = same_site(url, link)
            if target is None or (target, link_htmx) in seen:
                continue
            key = pattern_key(target, link_htmx)
            if taken[key] < PER_PATTERN:
                taken[key] += 1
                seen.add((target, link_htmx))
                queue.append((target, link_htmx))
    return statuses


def url_routes() -> set[str]:
    """Every route Django knows, joined as ResolverMatch.route joins them, minus the skipped."""
    # Django is set up by start_child() in this process before this runs
    from django.urls import get_resolver

    def walk(patterns, prefix):
        for pattern in patterns:
            route = str(pattern.pattern)
            route = prefix + route.removeprefix("^") if prefix else route
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    skipped = tuple(prefix.lstrip("/") for prefix in SKIPPED)
    return {r for r in walk(get_resolver().url_patterns, "") if not r.startswith(skipped)}


def take_pages(out: Path) -> None:
    # Django is set up by start_child() in this process before this runs
    from django.conf import settings

    quiet_command("migrate", "--no-input")
    quiet_command("demo")
    settings.ALLOWED_HOSTS = ["testserver"]
    routes, other, index = Counter(), [], {}
    for role in ROLES:
        for language in LANGUAGES:
            client = log_in(role, language, routes)
            folder = out / "pages" / role / language
            statuses = crawl(client, folder, routes, other)
            index.setdefault(role, {})[language] = statuses
            print(f"  {role}/{language}: {len(statuses)} URLs", file=sys.stderr)
    # The demo's KPIs too (its key accounts fill the KAM report), after the crawl so that the
    # pages do not depend on what computing them keeps.
    write_kpis(out / "kpis" / "demo", DEMO_KPIS)
    (out / "pages" / "index.json").write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
    report = {
        "routes_reached": dict(sorted(routes.items())),
        "routes_not_reached": sorted(url_routes() - set(routes)),
        "not_html": other,
    }
    (out / "report.json").write_text(json.dumps(report, indent=1) + "\n")


def save_output(path: Path, args: list[str]) -> None:
    """Save what `tandem <args>` prints, byte for byte (or the error, so that a compare shows
    it)."""
    # Django is set up by start_child() in this process before this runs
    from django.core.management import call_command

    stdout = io.StringIO()
    try:
        call_command(*args, stdout=stdout)
        data = stdout.getvalue()
    except Exception as error:
        data = f"ERROR {' '.join(args)}\n{type(error).__name__}: {error}\n"
    path.write_bytes(data.encode())


def write_kpis(folder: Path, runs: list[tuple[str, str]]) -> None:
    """Save what `tandem kpis --role R --format json [--period P]` prints."""
    folder.mkdir(parents=True, exist_ok=True)
    for role, period in runs:
        args = ["kpis", "--role", role, "--format", "json", *(["--period", period] * bool(period))]
        save_output(folder / f"{role}_{period or 'default'}.json", args)


def take_kpis(dataset: str, out: Path) -> None:
    datasets = Path(os.environ.get("TANDEM_DATASETS") or ROOT.parent / "shared" / "datasets")
    folder = out / "kpis" / dataset
    folder.mkdir(parents=True, exist_ok=True)
    quiet_command("migrate", "--no-input")
    quiet_command("createuser", "snapshot-admin", "--role", "admin", "--password", "Snap-2026!x")
    (command, source, file), runs = DATASETS[dataset]
    try:
        quiet_command(command, source, str(datasets / file), "--no-progress")
    except Exception as error:
        (folder / "_import_error.txt").write_text(f"{type(error).__name__}: {error}\n")
    write_kpis(folder, runs)
    write_backtests(folder, BACKTESTS.get(dataset, {}))


def write_backtests(folder: Path, backtests: dict[str, list[str]]) -> None:
    """Save what `tandem forecast backtest … --format json` prints."""
    for name, options in backtests.items():
        save_output(folder / f"{name}.json", ["forecast", "backtest", *options, "--format", "json"])


# --- the parent: take and compare ----------------------------------------------------------


def child(phase: list[str], out: Path) -> subprocess.Popen:
    """Run a phase of `take` in a process of its own with a throw-away database."""
    workdir = tempfile.mkdtemp(prefix=f"tandem-snapshot-{phase[-1]}-")
    env = dict(
        os.environ,
        PYTHONHASHSEED="0",
        LANGUAGE="en",
        DJANGO_SETTINGS_MODULE="tandem.settings",
        TANDEM_DATA_DIR=workdir,
        DATABASE_URL=f"sqlite:///{workdir}/snapshot.sqlite3",
        TANDEM_SECRET_KEY="snapshot-only-not-a-secret",
        TANDEM_TIME_ZONE="Europe/Berlin",
        TANDEM_CURRENCY="EUR",
        TANDEM_DEBUG="0",
    )
    process = subprocess.Popen([sys.executable, __file__, *phase, str(out)], cwd=ROOT, env=env)
    process.workdir = workdir
    return process


def take(out: Path) -> int:
    if out.exists():
        raise SystemExit(f"{out} exists; take into a new folder")
    out.mkdir(parents=True)
    started = time.perf_counter()
    # Two processes side by side: the pages, and the data sets one after the other.
    pages = child(["_pages"], out)
    failed = 0
    for dataset in DATASETS:
        kpis = child(["_kpis", dataset], out)
        failed += kpis.wait() != 0
        shutil.rmtree(kpis.workdir, ignore_errors=True)
    failed += pages.wait() != 0
    shutil.rmtree(pages.workdir, ignore_errors=True)
    seconds = round(time.perf_counter() - started, 1)
    (out / "took.json").write_text(json.dumps({"seconds": seconds, "failed": failed}) + "\n")
    print(f"took {seconds} s; {failed} phase(s) failed")
    return 1 if failed else 0


def renamed(data: bytes, renames: list[tuple[str, str]], applied: Counter) -> bytes:
    for before, after in renames:
        applied[before] += data.count(before.encode())
        data = data.replace(before.encode(), after.encode())
    return data


def compare_tree(
    title: str, old: Path, new: Path, renames: list[tuple[str, str]], lines: int = 40
) -> bool:
    """Print how the files under old and new differ (old renamed first); True when the same."""
    before, after = (
        {str(p.relative_to(d)): p for p in d.rglob("*") if p.is_file()} for d in (old, new)
    )
    same, differing, applied = [], [], Counter()
    old_data = {name: renamed(path.read_bytes(), renames, applied) for name, path in before.items()}
    for name in sorted(before.keys() & after.keys()):
        (same if old_data[name] == after[name].read_bytes() else differing).append(name)
    only_old, only_new = sorted(before.keys() - after.keys()), sorted(after.keys() - before.keys())
    print(
        f"{title}: {len(same)} identical, {len(differing)} differing, "
        f"{len(only_old)} only in old, {len(only_new)} only in new"
    )
    for text, count in applied.items():
        print(f"  renamed {text!r} in old: {count} times")
    for name in only_old + only_new:
        print(f"  only in {'old' if name in before else 'new'}: {name}")
    for name in differing:
        texts = [
            old_data[name].decode(errors="replace").splitlines(),
            after[name].read_text(errors="replace").splitlines(),
        ]
        diff = list(difflib.unified_diff(*texts, f"old/{name}", f"new/{name}", lineterm=""))
        print(
            "\n".join(diff[:lines])
            + (f"\n  … {len(diff) - lines} more lines" * (len(diff) > lines))
        )
    return not (differing or only_old or only_new)


def compare(old: Path, new: Path, renames: list[tuple[str, str]]) -> int:
    same = True
    for part in ("pages", "kpis"):
        same &= compare_tree(part, old / part, new / part, renames)
    print("everything is identical" if same else "there are differences")
    return 0 if same else 1


def main() -> int:
    action, *args = sys.argv[1:] or ["help"]
    if action == "take" and len(args) == 1:
        return take(Path(args[0]).resolve())
    if (
        action == "compare"
        and len(args) >= 2
        and all(
            flag == "--rename" and "=" in rename
            for flag, rename in zip(args[2::2], args[3::2], strict=True)
        )
    ):
        renames = [tuple(rename.split("=", 1)) for rename in args[3::2]]
        return compare(Path(args[0]), Path(args[1]), renames)
    if action == "_pages" and len(args) == 1:
        start_child()
        take_pages(Path(args[0]))
        return 0
    if action == "_kpis" and len(args) == 2 and args[0] in DATASETS:
        start_child()
        take_kpis(args[0], Path(args[1]))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
