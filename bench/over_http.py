"""HTTP benchmark: the project under gunicorn with production settings, beside a bare Django view doing
the same lookup under the same gunicorn, loaded with wrk over HTTP. Run on demand, never in CI:

    .venv/bin/python bench/over_http.py            # add --rounds 5 --seconds 10 for steadier figures

It uses the benchmark database of data.py (1,000,000 requests, generated the first time), starts both
servers on 127.0.0.1, and loads each path in turns, project then bare view, for several rounds. The
ratio of the two medians is the figure that counts: this machine is shared and noisy, and both sides
of a ratio were measured minutes apart under the same conditions. It prints every row of issue 11's
table with the figure before that work ("before") and the target beside the new one, then the web
workers' peak resident memory. Needs Debian's wrk (apt-get install wrk).
"""

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
SECRET_KEY = secrets.token_urlsafe(48)
os.environ["SECRET_KEY"] = SECRET_KEY  # sessions made here must be valid for the servers

from data import ROOT, database_url, ensure_data, setup_django  # noqa: E402

PROJECT_PORT, BARE_PORT = 8651, 8652
CLIENTS = 16
CSRF = "benchcsrfbenchcsrfbenchcsrf01234"  # 32 characters, the unmasked form Django accepts
HOST = "127.0.0.1"
SMS_TOKEN = secrets.token_urlsafe(32)
STATIC_ROOT = str(Path(tempfile.gettempdir()) / "citizen-services-bench-static")

# The Lua script wrk runs: one line of the work file per request (method, path, body), picked at
# random; per-thread cookies for signed-in users; {KEY} and {NID} in a body become a fresh intake key
# and one of the generated citizens. At the end it prints the figures as JSON on stderr.
WRK_SCRIPT = r"""
local lines, cookies, threads = {}, {}, {}
for line in io.lines(os.getenv("BENCH_WORK")) do lines[#lines + 1] = line end
local cookie_file = os.getenv("BENCH_COOKIES")
if cookie_file ~= "" then for line in io.lines(cookie_file) do cookies[#cookies + 1] = line end end
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  threads[#threads + 1] = thread
end
function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
  cookie = cookies[((id or 1) - 1) % math.max(#cookies, 1) + 1] or ""
end
local function uuid()
  return string.format("%08x-%04x-4%03x-a%03x-%06x%06x", math.random(0, 0x7fffffff),
    math.random(0, 0xffff), math.random(0, 0xfff), math.random(0, 0xfff),
    math.random(0, 0xffffff), math.random(0, 0xffffff))
end
function request()
  local line = lines[math.random(#lines)]
  local method, path, body = line:match("^(%S+) (%S+) ?(.*)$")
  local headers = {["X-Forwarded-Proto"] = "https", ["X-Forwarded-For"] = "10.0.0." .. (id or 1),
                   ["Origin"] = "https://" .. wrk.host .. ":" .. wrk.port}
  headers["Cookie"] = "csrftoken=@CSRF@" .. cookie
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["X-CSRFToken"] = "@CSRF@"
    body = body:gsub("{KEY}", uuid()):gsub("{NID}", string.format("2900101140%04d", math.random(1, 9000)))
  else
    body = nil
  end
  return wrk.format(method, path, headers, body)
end
statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do counts[status] = (counts[status] or 0) + count end
  end
  local parts = {}
  for status, count in pairs(counts) do parts[#parts + 1] = string.format('"%d": %d', status, count) end
  io.stderr:write(string.format(
    '{"requests": %d, "seconds": %.3f, "bad_status": %d, "socket_errors": %d, '
    .. '"p50": %.3f, "p95": %.3f, "p99": %.3f, "statuses": {' .. table.concat(parts, ", ") .. '}}\n',
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
""".replace("@CSRF@", CSRF)


@dataclass
class Run:
    requests: int
    seconds: float
    bad_status: int
    socket_errors: int
    p50: float
    p95: float
    p99: float
    statuses: dict[str, int]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def production_env() -> dict:
    """The environment of both servers: production settings on the benchmark database."""
    return {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        "PUBLIC_BASE_URL": f"https://{HOST}",
        "INSTALLATION_ID": "BENCH",
        "TRUSTED_PROXY_COUNT": "1",
        "DATABASE_URL": database_url(),
        "CACHE_URL": "redis://127.0.0.1:6379/13",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/12",
        "TRACKING_RATE": "1000000000/s",  # measure the lookup, not the limiter
        "SMS_DELIVERY_REPORT_TOKEN": SMS_TOKEN,
        "STATIC_ROOT": STATIC_ROOT,
        "LOG_LEVEL": "WARNING",
    }


def collect_static() -> None:
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**production_env(), "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=True,
    )


class Server:
    """gunicorn serving one WSGI settings module with production settings on the benchmark database."""

    def __init__(self, settings_module: str, port: int, workers: int, worker_class: str, extra_env: dict):
        env = {**production_env(), "DJANGO_SETTINGS_MODULE": settings_module, **extra_env}
        gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
        command = [gunicorn, "config.wsgi:application", "--bind", f"{HOST}:{port}"]
        command += ["--workers", str(workers), "--worker-class", worker_class, "--log-level", "warning"]
        self.port = port
        self.log = tempfile.NamedTemporaryFile(prefix=f"bench-gunicorn-{port}-", suffix=".log", delete=False)  # noqa: SIM115 (lives as long as the server)
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, start_new_session=True, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):  # a busy machine: slow to answer
                if self.process.poll() is not None:
                    raise SystemExit(f"gunicorn on port {port} exited; see {self.log.name}") from None
                time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn on port {port} did not answer within 60 s; see {self.log.name}")

    def worker_peak_memory_mb(self) -> list[float]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        peaks = []
        for pid in children:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return peaks

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def wrk(port: int, work: list[str], cookies: list[str], connections: int, seconds: int, folder: Path) -> Run:
    work_file, cookie_file, script = folder / "work.txt", folder / "cookies.txt", folder / "bench.lua"
    work_file.write_text("\n".join(work) + "\n")
    cookie_file.write_text("\n".join(cookies) + "\n" if cookies else "")
    script.write_text(WRK_SCRIPT)
    threads = connections if cookies else min(connections, 2)
    completed = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://{HOST}:{port}/",
        ],
        env={
            **os.environ,
            "BENCH_WORK": str(work_file),
            "BENCH_COOKIES": str(cookie_file if cookies else ""),
        },
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(completed.stderr.strip().splitlines()[-1])
    return Run(**figures)


def check(port: int, line: str, cookie: str, expect: int, contains: str) -> None:
    """One request before measuring: the path answers as it should (not a 403, a redirect or an error)."""
    method, path, *rest = line.split(" ", 2)
    key = secrets.token_hex(4) + "-0000-4000-a000-" + secrets.token_hex(6)
    body = (rest or [""])[0].replace("{KEY}", key)
    body = body.replace("{NID}", "29001011400001")
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {
        "X-Forwarded-Proto": "https",
        "Cookie": f"csrftoken={CSRF}{cookie}",
        "X-CSRFToken": CSRF,
        "Origin": f"https://{HOST}:{port}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    connection.request(method, path, body=body.encode() if method == "POST" else None, headers=headers)
    response = connection.getresponse()
    text = response.read().decode(errors="replace") + str(response.getheader("Location", ""))
    if response.status != expect or contains not in text:
        raise SystemExit(
            f"{method} {path} on port {port}: {response.status}, expected {expect} with {contains!r}"
            f"\n{text[:800]}"
        )


BEFORE = {  # issue 11's measurement before this work
    "status": "111 req/s, 0.046×",
    "status_first": "111 req/s, 0.046×",
    "track": "97 req/s, 0.086×",
    "catalog": "64 req/s, 0.075×",
    "service": "72 req/s, 0.045×",
    "intake": "13.3 intakes/s, POST p50 621 ms",
    "queue16": "17.7 req/s, p95 991 ms",
    "queue1": "p50 81 ms, p95 127 ms",
    "take_next": "p95 41 ms (one client)",
    "sweep_quiet": "11.0 s",
    "sweep_first": "76.8 s",
    "memory": "110–120 MB",
}
TARGET = {
    "status": "≥ 0.5×",
    "status_first": "≥ 0.5×",
    "track": "≥ 0.4×",
    "catalog": "≥ 0.5×",
    "service": "≥ 0.5×",
    "intake": "≥ 100 intakes/s, gapless",
    "queue16": "p95 < 60 ms",
    "queue1": "—",
    "take_next": "p95 < 20 ms",
    "sweep_quiet": "< 2 s",
    "sweep_first": "< 30 s",
    "memory": "< 200 MB",
}


@dataclass
class Scenario:
    key: str
    label: str
    project: list[str]
    bare: list[str]
    expect: tuple[int, str]
    connections: int = CLIENTS
    cookies: list[str] | None = None
    warm: bool = True  # a few unmeasured seconds on both sides first (caches, connections)


def prepare() -> dict:
    """Bench users with sessions, the bare view's tables, and the request lines of every scenario."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    from accounts.models import Role, RoleAssignment, User
    from organisation.models import Center, Department
    from requests_app.models import ServiceRequest
    from services.models import Service

    center = Center.objects.get(code="BNH")
    engineering = Department.objects.get(local_unit__code="BNH", department_type__code="ENG")

    def sessions(prefix: str, **role) -> tuple[list[str], list[int]]:
        cookies, ids = [], []
        for n in range(1, CLIENTS + 1):
            user, _ = User.objects.get_or_create(
                username=f"bench.{prefix}{n:02d}", defaults={"first_name": prefix}
            )
            RoleAssignment.objects.get_or_create(user=user, **role)
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            cookies.append(f"; sessionid={session.session_key}")
            ids.append(user.pk)
        return cookies, ids

    clerks, _ = sessions("clerk", role=Role.CLERK, center=center)
    employees, employee_ids = sessions("eng", role=Role.BACKOFFICE, department=engineering)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_bare_counter (last_number integer NOT NULL);"
            "CREATE TABLE IF NOT EXISTS bench_bare_intake (number integer PRIMARY KEY, body text);"
            "CREATE TABLE IF NOT EXISTS bench_bare_taken (id serial PRIMARY KEY, department_id integer,"
            " taken timestamptz);"
            "CREATE INDEX IF NOT EXISTS bench_bare_taken_free ON bench_bare_taken (department_id, id)"
            " WHERE taken IS NULL;"
            "TRUNCATE bench_bare_counter, bench_bare_intake, bench_bare_taken;"
            "INSERT INTO bench_bare_counter VALUES (0);"
        )
        cursor.execute(
            "INSERT INTO bench_bare_taken (department_id) SELECT %s FROM generate_series(1, 200000)",
            [engineering.pk],
        )
    # Citizens following their requests come back to the same page: 500 of them, the pages warmed
    # before measuring. First visits: 60,000 others, so that nearly every request is a page's first.
    drawn = list(
        ServiceRequest.objects.filter(year=2025)
        .order_by("?")[:60_500]
        .values_list("tracking_token", "receipt_number", "applicant__national_id")
    )
    sample, first_visits = drawn[:500], [f"GET /t/{t}/" for t, _, _ in drawn[500:]]
    service = Service.objects.get(code="OCC-ROAD")
    documents = "".join(f"&doc_{d.document_type.code}=on" for d in service.documents.filter(is_required=True))
    intake_path = f"/window/BNH/new/{service.code}/"
    intake_body = (
        "intake_key={KEY}&applicant_national_id={NID}&applicant_name_ar=%D9%85%D9%88%D8%A7%D8%B7%D9%86"
        f"&applicant_mobile=01012345678&payment_method=cash{documents}"
    )
    codes = list(Service.objects.filter(is_active=True).values_list("code", flat=True))
    department = engineering.pk
    scenarios = [
        Scenario(
            "status",
            "status page by QR token, repeat visits",
            [f"GET /t/{t}/" for t, _, _ in sample],
            [f"GET /t/{t}/" for t, _, _ in sample],
            (200, 'dir="rtl"'),
        ),
        Scenario(
            "status_first",
            "status page, first visits",
            first_visits,
            first_visits,
            (200, 'dir="rtl"'),
            warm=False,
        ),
        Scenario(
            "track",
            "status by receipt + 4 digits",
            [f"POST /track/ receipt_number={r}&national_id_last4={n[-4:]}" for _, r, n in sample],
            [f"POST /track/ receipt_number={r}&national_id_last4={n[-4:]}" for _, r, n in sample],
            (200, 'dir="rtl"'),
        ),
        Scenario("catalog", "catalog /services/", ["GET /services/"], ["GET /services/"], (200, "OCC-ROAD")),
        Scenario(
            "service",
            "one service page",
            [f"GET /services/{c}/" for c in codes],
            [f"GET /services/{c}/" for c in codes],
            (200, 'dir="rtl"'),
        ),
        Scenario(
            "queue16",
            "department queue page, 16 clients",
            [f"GET /office/d/{department}/"],
            [f"GET /queue/{department}/"],
            (200, 'dir="rtl"'),
            cookies=employees,
        ),
        Scenario(
            "queue1",
            "department queue page, one client",
            [f"GET /office/d/{department}/"],
            [f"GET /queue/{department}/"],
            (200, 'dir="rtl"'),
            connections=1,
            cookies=employees[:1],
        ),
        Scenario(
            "take_next",
            "take-next, 16 employees",
            [f"POST /office/d/{department}/take-next/ go=1"],
            [f"POST /take-next/{department}/ go=1"],
            (302, "/office/r/"),
            cookies=employees,
            warm=False,
        ),
        Scenario(
            "intake",
            "intake, 16 clerks (form GET + POST)",
            [f"GET {intake_path}", f"POST {intake_path} {intake_body}"],
            ["POST /intake/ go=1"],
            (302, "/window/BNH/r/"),
            cookies=clerks,
            warm=False,
        ),
    ]
    return {"scenarios": scenarios, "center": center, "employee_ids": employee_ids}


def receipts_of_the_year(center) -> tuple[int, int, int, int]:
    from django.db.models import Count, Max, Min
    from django.utils import timezone

    from core.numbering import number_last
    from requests_app.models import ServiceRequest
    from requests_app.services.intake import receipt_series

    year = timezone.localdate().year
    figures = ServiceRequest.objects.filter(center=center, year=year).aggregate(
        count=Count("id"), first=Min("sequence"), last=Max("sequence")
    )
    last = number_last(series=receipt_series(center), year=year)
    return figures["count"], figures["first"] or 0, figures["last"] or 0, last


def release_taken(employee_ids: list[int]) -> None:
    """Put back what the take-next rounds took, so that every round starts from the same queue."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE requests_app_servicerequest SET assignee_id = NULL WHERE assignee_id = ANY(%s)",
            [employee_ids],
        )
        cursor.execute("UPDATE bench_bare_taken SET taken = NULL WHERE taken IS NOT NULL")


def measure(scenarios: list[Scenario], servers: dict, rounds: int, seconds: int, prepared: dict) -> dict:
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-http-") as folder:
        for scenario in scenarios:
            cookies = scenario.cookies or []
            check(PROJECT_PORT, scenario.project[-1], cookies[0] if cookies else "", *scenario.expect)
            runs: dict[str, list[Run]] = {"project": [], "bare": []}
            intakes = []
            if scenario.warm:
                wrk(PROJECT_PORT, scenario.project, cookies, scenario.connections, 3, Path(folder))
                wrk(BARE_PORT, scenario.bare, cookies, scenario.connections, 3, Path(folder))
            for _ in range(rounds):
                for side, port, work in (
                    ("project", PROJECT_PORT, scenario.project),
                    ("bare", BARE_PORT, scenario.bare),
                ):
                    before = receipts_of_the_year(prepared["center"])[0]
                    run = wrk(port, work, cookies, scenario.connections, seconds, Path(folder))
                    if side == "project" and scenario.key == "intake":
                        intakes.append((receipts_of_the_year(prepared["center"])[0] - before) / run.seconds)
                    runs[side].append(run)
                    if scenario.key == "take_next":
                        release_taken(prepared["employee_ids"])
            results[scenario.key] = (runs, intakes)
            report_line(scenario, runs, intakes)
    return results


def median_run(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda run: run.rate)[len(runs) // 2]


def report_line(scenario: Scenario, runs: dict, intakes: list[float]) -> None:
    project, bare = median_run(runs["project"]), median_run(runs["bare"])
    errors = sum(r.bad_status + r.socket_errors for r in runs["project"])
    statuses = {}
    for run in runs["project"]:
        for status, count in run.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    extra = f"   {statistics.median(intakes):6.1f} intakes/s" if intakes else ""
    print(
        f"{scenario.label:<38} project {project.rate:7.1f} req/s  p50 {project.p50:6.1f}"
        f"  p95 {project.p95:6.1f}"
        f"  p99 {project.p99:6.1f} ms | bare {bare.rate:7.1f} req/s  p95 {bare.p95:5.1f} ms"
        f" | ratio {project.rate / bare.rate:5.3f}×{extra}   (errors {errors}; {statuses})",
        flush=True,
    )


def summary(results: dict, sweep: tuple[float, float] | None, memory: list[float], gapless: str) -> None:
    def ratio(key):
        runs, _ = results[key]
        project, bare = median_run(runs["project"]), median_run(runs["bare"])
        return f"{project.rate:.0f} req/s, {project.rate / bare.rate:.3f}× (bare {bare.rate:.0f})"

    now = {
        key: ratio(key) for key in ("status", "status_first", "track", "catalog", "service") if key in results
    }
    if "intake" in results:
        runs, intakes = results["intake"]
        now["intake"] = (
            f"{statistics.median(intakes):.1f} intakes/s, p50 {median_run(runs['project']).p50:.0f} ms"
            f" ({gapless})"
        )
    for key in ("queue16", "queue1", "take_next"):
        if key in results:
            run = median_run(results[key][0]["project"])
            now[key] = f"{run.rate:.0f} req/s, p50 {run.p50:.1f} ms, p95 {run.p95:.1f} ms"
    if sweep:
        now["sweep_first"], now["sweep_quiet"] = f"{sweep[0]:.1f} s", f"{sweep[1]:.2f} s"
    now["memory"] = ", ".join(f"{m:.0f} MB" for m in memory)
    print("\n| path | before | now | target |\n|---|---|---|---|")
    labels = {
        "status": "status page by QR token, repeat visits",
        "status_first": "status page by QR token, first visits",
        "track": "status by receipt + 4 digits",
        "catalog": "catalog page",
        "service": "one service page",
        "intake": "intake, 16 clerks over HTTP",
        "queue16": "queue page (15k open), 16 clients",
        "queue1": "queue page, one client",
        "take_next": "take-next, 16 employees",
        "sweep_quiet": "sweep with nothing new, 1M open",
        "sweep_first": "first sweep, 1M newly late",
        "memory": "web worker peak resident memory",
    }
    for key, label in labels.items():
        if key in now:
            print(f"| {label} | {BEFORE[key]} | {now[key]} | {TARGET[key]} |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--only", nargs="*", help="scenario keys, e.g. status intake")
    parser.add_argument(
        "--project-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for the project's server only, e.g. DB_CONN_MAX_AGE=0 to compare",
    )
    parser.add_argument("--no-sweep", dest="sweep", action="store_false")
    parser.add_argument(
        "--sweep-committed",
        action="store_true",
        help="sweep committed data in a scratch copy (as production meets it; ~10 min more)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    setup_django()
    ensure_data(args.requests)
    prepared = prepare()
    collect_static()
    scenarios = [s for s in prepared["scenarios"] if not args.only or s.key in args.only]
    project_env = dict(item.split("=", 1) for item in args.project_env)
    project = Server("config.settings", PROJECT_PORT, args.workers, args.worker_class, project_env)
    servers = {"project": project}
    try:
        # The bare view at its fastest: persistent connections, whatever the project's default.
        bare_env = {"DB_CONN_MAX_AGE": "600"}
        servers["bare"] = Server("bench.bare_settings", BARE_PORT, args.workers, args.worker_class, bare_env)
        count, first, last, counter = receipts_of_the_year(prepared["center"])
        results = measure(scenarios, servers, args.rounds, args.seconds, prepared)
        memory = servers["project"].worker_peak_memory_mb()
    finally:
        for server in servers.values():
            server.stop()
    count, first, last, counter = receipts_of_the_year(prepared["center"])
    gapless = (
        "gapless"
        if count == last == counter and first in (0, 1)
        else f"NOT gapless: {count} rows, {first}..{last}"
    )
    print(f"receipts of BNH this year: {count:,}, numbers {first}..{last}, counter {counter}: {gapless}")
    sweep = None
    if args.sweep and not args.only:
        from run import bench_sweep, bench_sweep_committed

        sweep = bench_sweep_committed() if args.sweep_committed else bench_sweep()
    summary(results, sweep, memory, gapless)


if __name__ == "__main__":
    main()
