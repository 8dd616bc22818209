"""Registration over HTTP beside a bare Django + ninja view: throughput, latency, CPU and statements per request.

    nice -n 10 .venv/bin/python bench/http_bench.py [--appeals 500000] [--reuse] [--dbname http_bench]
        [--seconds 20] [--clients 1,8] [--workers N] [--threads N] [--worker-class sync|gthread] [--max-requests N]

It builds (or, with --reuse, reuses and migrates) a PostgreSQL database of --appeals demo appeals with
bench/appeals.py's seeding, creates an API token for the demo head of the General Prosecutor's Office, and starts two
gunicorn servers with deploy/gunicorn.conf.py and the production settings (DEBUG off, Argon2, the database task
queue, the shared cache in Redis): the app (`prokuratura.wsgi`, settings bench/http_settings.py) and the bare
reference (bench/bare: the same JSON schema, one INSERT, no auth), with the same worker settings (--workers,
--threads, --worker-class, --max-requests pass GUNICORN_WORKERS/THREADS/WORKER_CLASS/MAX_REQUESTS to the config
file; unset, its defaults).

Every worker thread is primed first (its first requests load lazily: about 2 s of CPU in an app worker). Then, for
each number of --clients (closed loop: each client a thread with its own keep-alive http.client
connection, posting the next registration as soon as the last is answered, each with a new Idempotency-Key and the
bearer token), it warms up for --warmup seconds and measures for --seconds, against the app and the bare view in
turn (app first, then bare, the next concurrency in the other order; --rounds repeats). For each it reports the
requests answered, req/s, p50/p95/p99 latency, and CPU milliseconds per request of the gunicorn workers (utime +
stime from /proc, replaced workers included through the arbiter's reaped-children times), of the PostgreSQL
backends connected to the database (sampled from /proc; a backend that exits between samples loses its last
0.2 s) and of this driver. Statements per request are counted by the servers themselves on --count sequential
requests that ask for it (bench/bare/statements.py: PostgreSQL's pg_stat_statements is not loaded on a shared
server); the app's statements are written to var/bench/http-statements-<time>.jsonl.

Afterwards, with the servers still up, it checks the guarantees: a retry with the same key gets the same appeal,
an invalid body gets 422 with a message in the request's language; and in the database, that every registration
answered 201 is there once, numbered without gaps per office and year, with its history row, audit entry and
receipt task (no task worker runs during the measurement, so the receipts stay queued). It prints the ratio
app/bare for each concurrency and writes everything to var/bench/http-<time>.json. The database is kept.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import itertools
import json
import os
import re
import resource
import secrets
import signal
import statistics
import subprocess  # noqa: S404 - starts the servers it measures
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
VAR = ROOT / "var" / "bench" / "http"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
APP_PATH = "/api/v1/appeals"
BARE_PATH = "/bare/appeals"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
BACKEND_SAMPLE_SECONDS = 0.2
# The surname of every appeal a benchmark files (bench/appeals.py's BENCH_APPLICANT: its reads skip them).
BENCH_APPLICANT = "Бенчмарков"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--appeals", type=int, default=500_000, help="Demo appeals (default 500,000).")
    parser.add_argument("--reuse", action="store_true", help="Keep a database seeded with --appeals N.")
    parser.add_argument("--dbname", default="http_bench", help="PostgreSQL database (default %(default)s).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seed-only", action="store_true", help="Build the database, measure nothing.")
    parser.add_argument("--seconds", type=float, default=20, help="Measured seconds per run (default 20).")
    parser.add_argument("--warmup", type=float, default=3, help="Unmeasured seconds before each (default 3).")
    parser.add_argument("--clients", default="1,8", help="Concurrent clients, comma-separated (default 1,8).")
    parser.add_argument("--rounds", type=int, default=1, help="Repetitions of the whole alternation.")
    parser.add_argument("--count", type=int, default=20, help="Requests whose statements are counted.")
    parser.add_argument("--workers", type=int, help="GUNICORN_WORKERS (default: deploy/gunicorn.conf.py's).")
    parser.add_argument("--threads", type=int, help="GUNICORN_THREADS (default: deploy/gunicorn.conf.py's).")
    parser.add_argument("--worker-class", help="GUNICORN_WORKER_CLASS (default: deploy/gunicorn.conf.py's).")
    parser.add_argument(
        "--max-requests",
        type=int,
        help="GUNICORN_MAX_REQUESTS (default: deploy/gunicorn.conf.py's, 10000 ± 1000); 0 never replaces a worker.",
    )
    parser.add_argument("--port", type=int, default=8210, help="The app's port; the bare view's is the next.")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0", help="'none': the database cache.")
    parser.add_argument("--user", default="head_gpo", help="Whose API token registers (default %(default)s).")
    parser.add_argument(
        "--only", choices=["app", "bare"], help="Measure one server only (no ratio), e.g. to profile it."
    )
    parser.add_argument(
        "--allow-empty-migrations",
        action="store_true",
        help="Apply pending migrations that have no operations (placeholders): refused by default, since the "
        "database would then count them applied and never run them once they are written.",
    )
    args = parser.parse_args(argv)
    args.db = (
        "postgres"  # bench/appeals.py's prepare_database serves both; HTTP is measured on PostgreSQL only
    )
    args.client_counts = parse_clients(args.clients)
    return args


def parse_clients(text: str) -> list[int]:
    counts = [int(part) for part in text.split(",") if part.strip()]
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("--clients: one or more positive numbers, e.g. 1,8")
    return counts


# --- pure helpers (prokuratura/tests/test_bench_http.py) ----------------------------------------------------------


def percentile(values: list[float], p: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def parse_proc_stat(text: str) -> tuple[int, int, int]:
    """(parent pid, own CPU ticks, reaped children's CPU ticks) from the text of /proc/<pid>/stat. The command
    name (field 2) is in parentheses and may hold spaces or parentheses, so the fields are counted after the last
    ')': state is field 3, ppid 4, utime 14, stime 15, cutime 16, cstime 17 (proc(5))."""
    fields = text.rsplit(")", 1)[1].split()
    ppid = int(fields[1])
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return ppid, utime + stime, cutime + cstime


def backend_pattern(dbname: str) -> re.Pattern[str]:
    """A PostgreSQL client backend's process title for the database: `postgres: [cluster: ]user db host(port) …`
    (Debian names the cluster, `15/main:`; autovacuum and the other auxiliary processes do not match)."""
    return re.compile(rf"^postgres: (?:\S+: )?\S+ {re.escape(dbname)} \S+\(\d+\)")


def numbering_check(reg_numbers: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Registration numbers `<office>-<year>-<sequence>` grouped by office and year: how many, the highest, the
    sequence numbers missing below it (the first ten) and duplicates. Gap-free is count == highest, none missing."""
    groups: dict[str, list[int]] = {}
    for number in reg_numbers:
        prefix, _sep, sequence = number.rpartition("-")
        groups.setdefault(prefix, []).append(int(sequence))
    report = {}
    for prefix, sequences in sorted(groups.items()):
        present = set(sequences)
        highest = max(sequences)
        missing = sorted(set(range(1, highest + 1)) - present)
        report[prefix] = {
            "count": len(sequences),
            "highest": highest,
            "missing": missing[:10],
            "missing_count": len(missing),
            "duplicates": len(sequences) - len(present),
        }
    return report


def ratio(app: float | None, bare: float | None) -> float | None:
    """app ÷ bare, rounded to three places (None when either side was not measured or the bare side is 0)."""
    if not app or not bare:
        return None
    return round(app / bare, 3)


def ratios(runs: list[dict[str, Any]]) -> dict[int, dict[str, float | None]]:
    """Per number of clients, the app's throughput as a share of the bare view's (the goal: ≥ 0.5) and the CPU
    cost of a registration in bare requests (worker CPU per request, app ÷ bare), over every round."""
    totals: dict[tuple[int, str], dict[str, float]] = {}
    for run in runs:
        total = totals.setdefault((run["clients"], run["server"]), {"requests": 0, "seconds": 0, "cpu": 0})
        total["requests"] += run["requests"]
        total["seconds"] += run["seconds"]
        total["cpu"] += run["worker_cpu_seconds"]
    result: dict[int, dict[str, float | None]] = {}
    for clients in sorted({c for c, _server in totals}):
        app, bare = totals.get((clients, "app")), totals.get((clients, "bare"))

        def rate(t: dict[str, float] | None) -> float | None:
            return t["requests"] / t["seconds"] if t and t["seconds"] else None

        def cpu(t: dict[str, float] | None) -> float | None:
            return t["cpu"] / t["requests"] if t and t["requests"] else None

        result[clients] = {
            "throughput_app_over_bare": ratio(rate(app), rate(bare)),
            "worker_cpu_app_over_bare": ratio(cpu(app), cpu(bare)),
        }
    return result


def task_appeal_ids(args_kwargs: Iterable[Any]) -> set[int]:
    """The appeal ids the queued tasks name: the first positional argument or `appeal_id` (send_applicant_letter)."""
    ids: set[int] = set()
    for item in args_kwargs:
        if not isinstance(item, dict):
            continue
        kwargs = item.get("kwargs") or {}
        args = item.get("args") or []
        value = kwargs.get("appeal_id", args[0] if args else None)
        if isinstance(value, int):
            ids.add(value)
    return ids


# --- CPU ----------------------------------------------------------------------------------------------------------


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:  # the process has gone
        return None


def _pids() -> Iterator[int]:
    for name in os.listdir("/proc"):
        if name.isdigit():
            yield int(name)


def gunicorn_cpu_seconds(arbiter: int) -> float:
    """CPU of an arbiter's workers so far: the live ones' own times plus the reaped ones' (the arbiter's cutime and
    cstime), so a worker replaced after max_requests is still counted. The arbiter's own time is not."""
    total = 0
    arbiter_stat = _read(f"/proc/{arbiter}/stat")
    if arbiter_stat is None:
        return 0.0
    total += parse_proc_stat(arbiter_stat)[2]
    for pid in _pids():
        text = _read(f"/proc/{pid}/stat")
        if text is None:
            continue
        ppid, own, _children = parse_proc_stat(text)
        if ppid == arbiter:
            total += own
    return total / CLOCK_TICKS


def gunicorn_workers(arbiter: int) -> list[int]:
    pids = []
    for pid in _pids():
        text = _read(f"/proc/{pid}/stat")
        if text is not None and parse_proc_stat(text)[0] == arbiter:
            pids.append(pid)
    return pids


class BackendSampler:
    """CPU of the PostgreSQL backends connected to one database, sampled from /proc every 0.2 s: a backend that
    exits keeps the CPU last seen (it loses at most one interval's worth)."""

    def __init__(self, dbname: str) -> None:
        self.pattern = backend_pattern(dbname)
        self.last: dict[int, int] = {}
        self.baseline: dict[int, int] = {}
        self.others: set[int] = set()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="backend-sampler", daemon=True)

    def _scan(self) -> None:
        seen = {}
        for pid in _pids():
            if pid in self.others:
                continue
            title = _read(f"/proc/{pid}/cmdline")
            if title and "postgres" not in title:
                # Not PostgreSQL, and never will be (a new backend starts with the postmaster's command line and
                # then sets its title): not read again, so a scan costs the driver little.
                self.others.add(pid)
            if not title or not self.pattern.match(title.replace("\0", " ")):
                continue
            text = _read(f"/proc/{pid}/stat")
            if text is not None:
                seen[pid] = parse_proc_stat(text)[1]
        with self.lock:
            self.last.update(seen)

    def _run(self) -> None:
        while not self.stop.wait(BACKEND_SAMPLE_SECONDS):
            self._scan()

    def start(self) -> None:
        self._scan()
        self.thread.start()

    def mark(self) -> None:
        self._scan()
        with self.lock:
            self.baseline = dict(self.last)

    def seconds_since_mark(self) -> float:
        self._scan()
        with self.lock:
            ticks = sum(value - self.baseline.get(pid, 0) for pid, value in self.last.items())
        return ticks / CLOCK_TICKS

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=2)


def driver_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- the servers --------------------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    path: str
    wsgi: str
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        argv = [str(BIN / "gunicorn"), "--config", str(GUNICORN_CONF), self.wsgi]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own executable and config
                argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise SystemExit(f"the {self.name} server stopped; see {self.log}")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                conn.request("GET", self.path)
                conn.getresponse().read()
                return
            except OSError:
                time.sleep(0.5)
            finally:
                conn.close()
        raise SystemExit(f"the {self.name} server did not answer in {timeout:.0f} s; see {self.log}")

    @property
    def arbiter(self) -> int:
        assert self.process is not None  # noqa: S101 - started before it is measured
        return self.process.pid

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def server_environment(args: argparse.Namespace, run_id: str) -> dict[str, str]:
    """bench/load_setup.py's production environment, for both servers."""
    env = {k: v for k, v in os.environ.items() if k not in ("PROKURATURA_TESTING", "DATABASE_TEST_NAME")}
    env.update(
        {
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "PROKURATURA_VAR_DIR": str(VAR),
            # nginx's place: the driver's X-Forwarded-For stands for the citizens' addresses.
            "TRUSTED_PROXIES": "127.0.0.1",
            "CACHE_KEY_PREFIX": f"http-{run_id}",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_PORT": "1",  # nothing listens: a receipt would fail in a task worker, never in a request
            "LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    for name in (
        "GUNICORN_WORKERS",
        "GUNICORN_THREADS",
        "GUNICORN_WORKER_CLASS",
        "GUNICORN_BIND",
        "GUNICORN_MAX_REQUESTS",
        "GUNICORN_MAX_REQUESTS_JITTER",
    ):
        env.pop(name, None)
    if args.workers:
        env["GUNICORN_WORKERS"] = str(args.workers)
    if args.threads:
        env["GUNICORN_THREADS"] = str(args.threads)
    if args.worker_class:
        env["GUNICORN_WORKER_CLASS"] = args.worker_class
    if args.max_requests is not None:
        env["GUNICORN_MAX_REQUESTS"] = str(args.max_requests)
        env["GUNICORN_MAX_REQUESTS_JITTER"] = str(args.max_requests // 10)
    if args.redis_url.lower() != "none":
        env["REDIS_URL"] = args.redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def gunicorn_settings(env: dict[str, str]) -> dict[str, Any]:
    """What deploy/gunicorn.conf.py resolves to in this environment (workers, threads, class, …)."""
    import runpy

    saved = dict(os.environ)
    try:
        os.environ.update(env)
        config = runpy.run_path(str(GUNICORN_CONF))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    keys = (
        "workers",
        "threads",
        "worker_class",
        "keepalive",
        "max_requests",
        "max_requests_jitter",
        "timeout",
    )
    return {key: config.get(key) for key in keys}


# --- the load -----------------------------------------------------------------------------------------------------


@dataclass
class Sample:
    started: float
    ended: float
    status: int


@dataclass
class Target:
    server: Server
    headers: dict[str, str]
    bodies: list[bytes]
    keys: Iterator[int]
    run_id: str
    created_ids: list[int] = field(default_factory=list)
    created: int = 0
    replayed: int = 0
    errors: list[str] = field(default_factory=list)

    def post(
        self, conn: http.client.HTTPConnection, body: bytes, extra: dict[str, str] | None = None
    ) -> tuple[int, bytes, dict[str, str]]:
        headers = {
            **self.headers,
            "Idempotency-Key": f"http-{self.run_id}-{next(self.keys)}",
            **(extra or {}),
        }
        for attempt in (1, 2):
            try:
                conn.request("POST", self.server.path, body=body, headers=headers)
                response = conn.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # An idle keep-alive connection the server closed: resend once on a new one (the same key, so
                # the app registers it at most once).
                conn.close()
                if attempt == 2:
                    raise
        answer_headers = {k.lower(): v for k, v in response.getheaders()}
        self.record(response.status, content, answer_headers)
        return response.status, content, answer_headers

    def record(self, status: int, content: bytes, headers: dict[str, str]) -> None:
        if headers.get("idempotent-replayed") == "true":
            self.replayed += 1
        elif status == 201:
            self.created += 1
            if self.server.name == "app":
                self.created_ids.append(json.loads(content)["id"])
        elif status != 200 and len(self.errors) < 20:
            self.errors.append(f"{status}: {content[:300]!r}")


def client_loop(target: Target, stop: threading.Event, samples: list[Sample], offset: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", target.server.port, timeout=60)
    bodies = target.bodies
    n = offset
    try:
        while not stop.is_set():
            body = bodies[n % len(bodies)]
            n += 1
            started = time.perf_counter()
            try:
                status, _content, _headers = target.post(conn, body)
            except OSError as exc:
                status = 0
                if len(target.errors) < 20:
                    target.errors.append(repr(exc))
                conn.close()
            samples.append(Sample(started, time.perf_counter(), status))
    finally:
        conn.close()


def prime(target: Target, threads: int, answers: int) -> None:
    """Before anything is measured, `threads` clients until `answers` answers have come, all of them finished: every
    worker (and thread) pays its first requests' lazy loading here (about 2 s of CPU in an app worker; four first
    requests at once in one gthread worker took 11 s on the loaded machine), not in a measured window."""
    stop = threading.Event()
    samples: list[Sample] = []
    clients = [
        threading.Thread(target=client_loop, args=(target, stop, samples, i * 104729), daemon=True)
        for i in range(threads)
    ]
    for client in clients:
        client.start()
    deadline = time.monotonic() + 300
    while len(samples) < answers and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    for client in clients:
        client.join(timeout=90)


def measure_run(
    target: Target, clients: int, args: argparse.Namespace, sampler: BackendSampler
) -> dict[str, Any]:
    """A closed loop of `clients` clients: --warmup seconds, then the measured window (requests answered in it);
    CPU read at its two ends."""
    stop = threading.Event()
    samples: list[Sample] = []
    threads = [
        threading.Thread(target=client_loop, args=(target, stop, samples, i * 7919), daemon=True)
        for i in range(clients)
    ]
    errors_before = len(target.errors)
    load_before = os.getloadavg()[0]
    for thread in threads:
        thread.start()
    time.sleep(args.warmup)
    sampler.mark()
    worker_cpu, driver_cpu = gunicorn_cpu_seconds(target.server.arbiter), driver_cpu_seconds()
    workers_before = set(gunicorn_workers(target.server.arbiter))
    window_start = time.perf_counter()
    time.sleep(args.seconds)
    window_end = time.perf_counter()
    worker_cpu = gunicorn_cpu_seconds(target.server.arbiter) - worker_cpu
    driver_cpu = driver_cpu_seconds() - driver_cpu
    backend_cpu = sampler.seconds_since_mark()
    replaced = len(set(gunicorn_workers(target.server.arbiter)) - workers_before)
    stop.set()
    for thread in threads:
        thread.join(timeout=90)
    done = [s for s in samples if window_start <= s.ended <= window_end]
    ok = [s for s in done if s.status in (200, 201)]
    latencies = sorted((s.ended - s.started) * 1000 for s in ok)
    seconds = window_end - window_start
    n = len(ok)

    def per_request(cpu: float) -> float | None:
        return round(cpu * 1000 / n, 2) if n else None

    return {
        "server": target.server.name,
        "clients": clients,
        "seconds": round(seconds, 2),
        "requests": n,
        "errors": len(done) - n,
        "per_second": round(n / seconds, 1),
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "worker_cpu_seconds": round(worker_cpu, 2),
        "worker_cpu_ms_per_request": per_request(worker_cpu),
        "postgres_cpu_ms_per_request": per_request(backend_cpu),
        "driver_cpu_ms_per_request": per_request(driver_cpu),
        "cpu_used_of_cores": round((worker_cpu + backend_cpu + driver_cpu) / seconds, 2),
        "workers_replaced": replaced,
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "error_samples": target.errors[errors_before : errors_before + 5],
    }


def count_statements(target: Target, n: int) -> dict[str, Any]:
    """`n` sequential requests that ask the server to count their statements (bench/bare/statements.py)."""
    from bench.bare.statements import parse_count_headers

    conn = http.client.HTTPConnection("127.0.0.1", target.server.port, timeout=60)
    rows = []
    try:
        for i in range(n):
            status, content, headers = target.post(conn, target.bodies[i], {"X-Count-Statements": "1"})
            counts = parse_count_headers(headers)
            if status not in (200, 201) or counts is None:
                raise SystemExit(
                    f"{target.server.name}: counting request answered {status}: {content[:300]!r}"
                )
            rows.append(counts)
    finally:
        conn.close()
    summary: dict[str, Any] = {"requests": n}
    for key in rows[0]:
        values = [row.get(key, 0) for row in rows]
        summary[key] = statistics.median(values)
        if min(values) != max(values):
            summary[f"{key}_range"] = [min(values), max(values)]
    return summary


# --- the data -----------------------------------------------------------------------------------------------------


def request_bodies(run_id: str, n: int) -> list[bytes]:
    """n registrations as JSON bodies: bench/appeals.py's payloads (random region, topic and text) with names and
    IINs of this run, so that no run's appeals look like another's (no repeated-appeal match across runs)."""
    import random

    import appeals as appeals_bench  # bench/appeals.py

    from prokuratura.appeals.demo import iin_make

    rng = random.Random(run_id)
    bodies = []
    for i, payload in enumerate(appeals_bench.registration_payloads(n)):
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20_000))
        payload["applicant"]["name"] = f"{BENCH_APPLICANT} HTTP {run_id} {i}"
        payload["applicant"]["iin"] = iin_make(rng, born=born, male=rng.random() < 0.5)
        payload["applicant"]["email"] = f"http{run_id}.{i}@example.com"
        bodies.append(json.dumps(payload, ensure_ascii=False).encode())
    return bodies


def pending_empty_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [
        f"{m.app_label}.{m.name}"
        for m, backwards in plan
        if not backwards and not m.operations and type(m).__module__.startswith("prokuratura.")
    ]


def verify(app: Target | None, bare: Target | None, since: dt.datetime, run_id: str) -> dict[str, Any]:
    """Every registration the app answered 201 is in the database once, with its history row, audit entry and
    receipt task, and numbered without gaps per office and year; the bare view's rows are all there."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from bench.bare.table import TABLE
    from prokuratura.appeals.models import Appeal, AppealTransition
    from prokuratura.core.models import AuditEntry

    checks: dict[str, Any] = {}
    if app is not None:
        ids = set(app.created_ids)
        n = len(ids)

        def chunks(values: list[Any], size: int = 5000) -> Iterator[list[Any]]:
            for start in range(0, len(values), size):
                yield values[start : start + size]

        id_list = sorted(ids)
        found = sum(Appeal.objects.filter(pk__in=c).count() for c in chunks(id_list))
        of_run = Appeal.objects.filter(applicant_name__startswith=f"{BENCH_APPLICANT} HTTP {run_id} ").count()
        with_history = sum(
            AppealTransition.objects.filter(appeal_id__in=c).values("appeal_id").distinct().count()
            for c in chunks(id_list)
        )
        audited = sum(
            AuditEntry.objects.filter(
                object_type="appeals.appeal", object_id__in=[str(i) for i in c], action="create"
            )
            .values("object_id")
            .distinct()
            .count()
            for c in chunks(id_list)
        )
        queued = task_appeal_ids(
            DBTaskResult.objects.filter(enqueued_at__gte=since).values_list("args_kwargs", flat=True)
        )
        prefixes = {
            (office_id, number.rpartition("-")[0])
            for c in chunks(id_list)
            for office_id, number in Appeal.objects.filter(pk__in=c).values_list("office_id", "reg_number")
        }
        numbering = numbering_check(
            number
            for office_id, prefix in sorted(prefixes)
            for number in Appeal.objects.filter(
                office_id=office_id, reg_number__startswith=f"{prefix}-"
            ).values_list("reg_number", flat=True)
        )
        gaps = {p: g for p, g in numbering.items() if g["missing_count"] or g["duplicates"]}
        checks["app"] = {
            "answered_201": app.created,
            "distinct_ids": n,
            "in_database": found,
            "appeals_of_this_run": of_run,
            "with_history_row": with_history,
            "with_audit_entry": audited,
            "with_receipt_task": len(ids & queued),
            "office_years": len(numbering),
            "office_years_with_gaps": gaps,
        }
        checks["app"]["ok"] = (
            app.created == n == found == of_run == with_history == audited == len(ids & queued) and not gaps
        )
    if bare is not None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {TABLE} WHERE applicant_name LIKE %s",  # noqa: S608 - a constant name
                [f"{BENCH_APPLICANT} HTTP {run_id} %"],
            )
            rows = cursor.fetchone()[0]
        checks["bare"] = {"answered_201": bare.created, "rows": rows, "ok": rows == bare.created}
    return checks


def probe_guarantees(app: Target) -> dict[str, Any]:
    """Over HTTP: a retry with the same Idempotency-Key and body answers 200 with the first appeal; an invalid body
    (an individual without a name) answers 422 with the message in the request's language."""
    conn = http.client.HTTPConnection("127.0.0.1", app.server.port, timeout=60)
    try:
        key = {"Idempotency-Key": f"http-{app.run_id}-probe"}
        body = app.bodies[0]
        first_status, first, _h = app.post(conn, body, key)
        again_status, again, again_headers = app.post(conn, body, key)
        same = (
            first_status == 201
            and again_status in (200, 201)
            and again_headers.get("idempotent-replayed") == "true"
            and json.loads(first)["id"] == json.loads(again)["id"]
        )
        invalid = json.loads(body)
        invalid["applicant"]["name"] = ""
        raw = json.dumps(invalid).encode()
        answers = {}
        for language in ("en", "ru", "kk"):
            status, content, _h = app.post(conn, raw, {"Accept-Language": language})
            answers[language] = (status, content.decode(errors="replace"))
    finally:
        conn.close()
    statuses = {language: status for language, (status, _c) in answers.items()}
    translated = len({content for _s, content in answers.values()}) == 3
    return {
        "idempotent_retry_same_appeal": same,
        "invalid_statuses": statuses,
        "invalid_messages_differ_by_language": translated,
        "invalid_message_ru": answers["ru"][1][:300],
        "ok": same and set(statuses.values()) == {422} and translated,
    }


# --- the run ------------------------------------------------------------------------------------------------------


def measure(args: argparse.Namespace, result: dict[str, Any]) -> None:
    from django.db import connection

    from bench.bare.table import CREATE_TABLE
    from prokuratura.accounts.models import User
    from prokuratura.accounts.services import token_create

    run_id = secrets.token_hex(3)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    since = dt.datetime.now(dt.UTC)
    user = User.objects.get(username=args.user)
    _token, secret = token_create(by=user, name=f"http bench {run_id}")
    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE)
    bodies = request_bodies(run_id, 2000)
    connection.close()  # the servers' backends are the ones measured

    env = server_environment(args, run_id)
    statements_log = ROOT / "var" / "bench" / f"http-statements-{stamp}.jsonl"
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {secret}",
        "X-Forwarded-For": "10.20.30.40",
    }
    keys = itertools.count()
    servers = {
        "app": Server(
            "app",
            args.port,
            APP_PATH,
            "prokuratura.wsgi:application",
            {
                **env,
                "DJANGO_SETTINGS_MODULE": "bench.http_settings",
                "GUNICORN_BIND": f"127.0.0.1:{args.port}",
                "BENCH_STATEMENT_LOG": str(statements_log),
            },
            VAR / "app.log",
        ),
        "bare": Server(
            "bare",
            args.port + 1,
            BARE_PATH,
            "bench.bare.wsgi:application",
            {
                **env,
                "DJANGO_SETTINGS_MODULE": "bench.bare.settings",
                "GUNICORN_BIND": f"127.0.0.1:{args.port + 1}",
            },
            VAR / "bare.log",
        ),
    }
    names = [args.only] if args.only else ["app", "bare"]
    targets = {name: Target(servers[name], headers, bodies, keys, run_id) for name in names}
    result["run_id"] = run_id
    result["gunicorn"] = gunicorn_settings(servers["app"].env)
    result["gunicorn_version"] = subprocess.run(  # noqa: S603 - our own executable
        [str(BIN / "gunicorn"), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    result["settings"] = {"seconds": args.seconds, "warmup": args.warmup, "clients": args.client_counts}
    print(f"  gunicorn: {result['gunicorn']}", flush=True)
    # Every worker thread primed before anything is measured: five answers each on average (see prime).
    slots = int(result["gunicorn"]["workers"] or 1) * int(result["gunicorn"]["threads"] or 1)

    sampler = BackendSampler(args.dbname)
    try:
        for name in names:
            servers[name].start()
        for name in names:
            servers[name].wait_ready()
        sampler.start()
        for name in names:
            prime(targets[name], threads=2 * slots, answers=5 * slots)
        result["statements"] = {}
        for name in names:
            result["statements"][name] = count_statements(targets[name], args.count)
        print(f"  statements per request: {result['statements']}", flush=True)
        result["runs"] = []
        for round_no, (i, clients) in itertools.product(range(args.rounds), enumerate(args.client_counts)):
            order = names if i % 2 == 0 else names[::-1]
            for name in order:
                run = measure_run(targets[name], clients, args, sampler)
                run["round"] = round_no + 1
                result["runs"].append(run)
                print(
                    f"  {name:<4} {clients:>2} clients: {run['per_second']:8.1f}/s  p50 {run['p50_ms']:7.1f} ms  "
                    f"p99 {run['p99_ms']:7.1f} ms  worker CPU {run['worker_cpu_ms_per_request']} ms/req  "
                    f"postgres {run['postgres_cpu_ms_per_request']} ms/req  errors {run['errors']}  "
                    f"workers replaced {run['workers_replaced']}",
                    flush=True,
                )
        result["ratios"] = {str(k): v for k, v in ratios(result["runs"]).items()}
        if "app" in targets:
            result["guarantees_over_http"] = probe_guarantees(targets["app"])
        result["worker_pids_at_end"] = {name: len(gunicorn_workers(servers[name].arbiter)) for name in names}
    finally:
        sampler.close()
        for server in servers.values():
            server.stop()
    result["checks"] = verify(targets.get("app"), targets.get("bare"), since, run_id)
    result["statements_log"] = str(statements_log.relative_to(ROOT)) if statements_log.exists() else None


def print_table(result: dict[str, Any]) -> None:
    print()
    print(f"registration over HTTP — {result['appeals']:,} appeals, gunicorn {result.get('gunicorn')}")
    seed = result.get("seed")
    if seed:
        print(f"  seeding: {seed['appeals']:,} appeals in {seed['seconds']} s")
    for name, counts in result.get("statements", {}).items():
        print(
            f"  {name:<4} statements per request: {counts.get('statements')} "
            f"(+ BEGIN {counts.get('begin')}, COMMIT {counts.get('commit')}; selects {counts.get('select')}, "
            f"inserts {counts.get('insert')}, updates {counts.get('update')}, savepoints {counts.get('savepoint')})"
        )
    header = f"  {'server':<6} {'clients':>7} {'requests':>8} {'req/s':>8} {'p50':>7} {'p95':>7} {'p99':>7}"
    print(
        header + f" {'worker CPU':>11} {'PG CPU':>7} {'driver':>7} {'errors':>6}   (ms; CPU ms per request)"
    )
    for run in result.get("runs", []):
        print(
            f"  {run['server']:<6} {run['clients']:>7} {run['requests']:>8} {run['per_second']:>8.1f} "
            f"{run['p50_ms']:>7.1f} {run['p95_ms']:>7.1f} {run['p99_ms']:>7.1f} "
            f"{run['worker_cpu_ms_per_request'] or 0:>11.2f} {run['postgres_cpu_ms_per_request'] or 0:>7.2f} "
            f"{run['driver_cpu_ms_per_request'] or 0:>7.2f} {run['errors']:>6}"
        )
    for clients, item in result.get("ratios", {}).items():
        print(
            f"  {clients} clients: app/bare throughput {item['throughput_app_over_bare']}, "
            f"worker CPU per request app/bare {item['worker_cpu_app_over_bare']}"
        )
    probe = result.get("guarantees_over_http")
    if probe:
        print(f"  guarantees over HTTP: {'ok' if probe['ok'] else 'FAILED'} {probe}")
    for name, check in result.get("checks", {}).items():
        print(f"  {name} check: {'ok' if check['ok'] else 'FAILED'} {check}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT / "bench"))
    import appeals as appeals_bench  # bench/appeals.py: the database, the seeding, the run's tail

    url, may_exist = appeals_bench.prepare_database(args)
    appeals_bench.setup_django(url)
    sys.path.insert(0, str(ROOT))
    if not args.allow_empty_migrations:
        empty = pending_empty_migrations()
        if empty:
            raise SystemExit(
                f"Pending migrations without operations (placeholders?): {', '.join(empty)}. Applied now, the "
                "database would never run them once written; finish them, or pass --allow-empty-migrations."
            )
    result: dict[str, Any] = {
        "benchmark": "registration over HTTP, app vs bare",
        "db": "postgres",
        "appeals": args.appeals,
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join([".venv/bin/python", "bench/http_bench.py", *(argv or sys.argv[1:])]),
    }
    print(f"registration over HTTP: {args.appeals:,} appeals in {args.dbname}", flush=True)
    appeals_bench.run_seeded(
        args,
        result,
        may_exist=may_exist,
        seeded=lambda: appeals_bench.seeded_count() == args.appeals,
        build=appeals_bench.build,
        measure=measure,
        print_table=print_table,
        out_name="http",
    )
    checks = [c.get("ok") for c in result.get("checks", {}).values()]
    probe = result.get("guarantees_over_http", {}).get("ok", True)
    return 0 if all(checks) and probe else 1


if __name__ == "__main__":
    sys.exit(main())
