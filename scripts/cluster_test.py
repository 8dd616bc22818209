"""Two web processes and two task workers on one PostgreSQL database, one S3 store and one Redis: the scale-out test.

    .venv/bin/python scripts/cluster_test.py [--rows 1200] [--db-name prokuratura_cluster] [--keep-logs]
    make test-cluster

What a deployment on several machines relies on, shown end to end with the production settings (DEBUG off,
Argon2, the database task queue, attachments in an S3-compatible store, the shared cache in Redis):

1. Set-up: a database of its own on the local PostgreSQL server (dropped first if a crashed run left it), migrated,
   with the reference data, the demo office tree and users; moto's standalone S3 server with an empty bucket; the
   static files collected into a temporary directory.
2. Two gunicorn servers (A and B, two worker processes each) and two task workers, all with the same environment,
   as on two machines.
3. A registrar signs in on A and uploads a legacy register of --rows generated rows (the import page). While the
   import runs, the worker holding its task is killed with SIGKILL between 10 % and 90 % of the rows; the other
   worker must take the task over once the dead one's heartbeat is older than the lease, and finish it.
   Checked: the job is done, processed = total, one appeal per row under the import's keys, no submission key and
   no registration number twice, no task of the job left queued or running.
4. A citizen files an appeal with a PDF attachment through A's public form (honeypot, the sum, the form's minimum
   age). Through B: the public status page by the tracking code, the appeal by the API as a staff member signed in
   on B, its attachment (SHA-256 equal to what was sent; the object is in the bucket), its letters (the list by the
   API, the receipt as PDF); the worker's receipt task succeeded.
5. Web A is killed with SIGKILL (master and workers); B still answers, with the session opened on A.
6. `manage.py audit_verify` finds the audit chain intact.

Every process is stopped and the database dropped at the end, whatever happened. Exit status 0 when every check
passed, 1 otherwise; SKIPPED (status 0, or 1 with --require or on CI) when PostgreSQL is not reachable.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import hashlib
import io
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess  # noqa: S404 - the test starts the servers it checks
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python")
PG_SERVER = os.environ.get("CLUSTER_PG_SERVER", "postgres://root@127.0.0.1:5432")
BUCKET = "prokuratura-cluster"
REGISTRAR = "registrar"  # demo user of the Astana office (R-710000000): may import
STAFF_READER = "head_gpo"  # demo head at the General Prosecutor's Office: sees every appeal
ASTANA_KATO = "710000000"
LEASE_SECONDS = 4
HEARTBEAT_SECONDS = 1
FORM_MIN_SECONDS = 3.2  # spam.MIN_SECONDS, and a little more


class CheckFailed(Exception):
    pass


def check(condition: bool, message: str, detail: str = "") -> None:
    """Print the passed check, or stop the run with it (and `detail`, e.g. a log's last lines)."""
    if not condition:
        raise CheckFailed(f"{message}\n{detail}" if detail else message)
    say(f"   ok: {message}")


_START = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - _START:6.1f}s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(what: str, probe: Callable[[], Any], timeout: float, interval: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = probe()
        except Exception as exc:  # a server not up yet refuses the connection
            last_error = exc
            result = None
        if result:
            return result
        time.sleep(interval)
    raise CheckFailed(
        f"timed out after {timeout:.0f} s waiting for {what}" + (f" ({last_error})" if last_error else "")
    )


# ---------------------------------------------------------------------------------------------------------------
# Processes


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill_group(self, sig: int = signal.SIGKILL) -> None:
        """The process and its children (gunicorn's workers): each was started in a session of its own."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, sig)

    def tail(self, lines: int = 25) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@dataclass
class Cluster:
    tmp: Path
    env: dict[str, str]
    db_name: str
    procs: list[Proc] = field(default_factory=list)

    def start(self, name: str, argv: list[str]) -> Proc:
        log = self.tmp / f"{name}.log"
        handle = log.open("wb")
        popen = subprocess.Popen(  # noqa: S603 - our own executables, no shell
            argv, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        handle.close()
        proc = Proc(name, popen, log)
        self.procs.append(proc)
        return proc

    def manage(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.alive():
                proc.kill_group(signal.SIGTERM)
        deadline = time.monotonic() + 8
        for proc in self.procs:
            try:
                proc.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill_group(signal.SIGKILL)
                proc.popen.wait(timeout=5)
            # A killed gunicorn master leaves its workers to notice; make sure none of the group is left.
            proc.kill_group(signal.SIGKILL)


# ---------------------------------------------------------------------------------------------------------------
# The database server


def pg_reachable() -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def redis_reachable(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=3):
            return True
    except OSError:
        return False


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def drop_database(name: str) -> None:
    # WITH (FORCE) ends the connections a killed process may have left (PostgreSQL 13+).
    pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ---------------------------------------------------------------------------------------------------------------
# HTTP


class Web:
    """A browser-like client of one web server: cookies, CSRF from the cookie, no automatic redirects."""

    def __init__(self, base: str, session: Any = None) -> None:
        import requests

        self.base = base
        self.session = session or requests.Session()

    def url(self, path: str) -> str:
        return self.base + path

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.session.get(self.url(path), allow_redirects=False, timeout=30, **kwargs)

    def post(self, path: str, data: dict[str, Any], files: Any = None) -> Any:
        token = self.csrf_cookie()
        headers = {"X-CSRFToken": token, "Referer": self.url(path)}
        return self.session.post(
            self.url(path),
            data={**data, "csrfmiddlewaretoken": token},
            files=files,
            headers=headers,
            allow_redirects=False,
            timeout=60,
        )

    def csrf_cookie(self) -> str:
        for cookie in self.session.cookies:
            if cookie.name == "csrftoken":
                return str(cookie.value)
        raise CheckFailed("no csrftoken cookie: GET a page with a form first")

    def login(self, username: str, password: str) -> None:
        page = self.get("/accounts/login/")
        check(page.status_code == 200, f"{self.base}: the sign-in page answers 200")
        response = self.post("/accounts/login/", {"username": username, "password": password})
        check(
            response.status_code == 302 and "/accounts/login/" not in response.headers.get("Location", ""),
            f"{username} signs in on {self.base}",
        )


def pdf_bytes() -> bytes:
    """A small, valid one-page PDF whose bytes are unique to this run."""
    marker = secrets.token_hex(16)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%" + marker.encode() + b"\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def legacy_csv(rows: int, run: str) -> bytes:
    """A legacy register of `rows` valid appeals of the Astana office, received over the last weeks."""
    import django.utils.timezone as tz

    today = tz.localdate()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "legacy_number",
            "received_at",
            "kind",
            "applicant_type",
            "applicant_name",
            "applicant_language",
            "region_kato",
            "topic_code",
            "subject",
            "text",
        ]
    )
    for n in range(1, rows + 1):
        received = today - dt.timedelta(days=1 + n % 40)
        writer.writerow(
            [
                f"CL-{run}/{n:05d}",
                f"{received:%d.%m.%Y} {9 + n % 8:02d}:{n % 60:02d}",
                "statement" if n % 3 else "complaint",
                "individual",
                f"Тестов Кластер {n}",
                ("ru", "kk", "en")[n % 3],
                ASTANA_KATO,
                ("labour", "social", "housing")[n % 3],
                f"Обращение {n} из реестра",
                f"Текст обращения номер {n}: прошу рассмотреть.",
            ]
        )
    return out.getvalue().encode("utf-8")


# ---------------------------------------------------------------------------------------------------------------
# The run


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rows", type=int, default=1200, help="Rows of the imported register (default %(default)s)."
    )
    parser.add_argument("--db-name", default="prokuratura_cluster", help="Database to create and drop.")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="The shared cache; 'none' for the database cache (default %(default)s; keys get a per-run prefix).",
    )
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers per web server.")
    parser.add_argument(
        "--timeout", type=float, default=150, help="Seconds the import may take after the kill."
    )
    parser.add_argument(
        "--keep-logs", action="store_true", help="Keep the temporary directory with the logs."
    )
    parser.add_argument(
        "--require", action="store_true", help="Fail instead of skipping when PostgreSQL is not reachable."
    )
    return parser.parse_args()


def cluster_env(args: argparse.Namespace, tmp: Path, s3_port: int, smtp_port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PROKURATURA_TESTING", "DATABASE_TEST_NAME", "DJANGO_SETTINGS_MODULE")
        and not key.startswith(("AWS_", "PYTEST"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "prokuratura.settings",
            "DATABASE_URL": f"{PG_SERVER}/{args.db_name}",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PROKURATURA_VAR_DIR": str(tmp / "var"),
            "PROKURATURA_MEDIA_ROOT": str(tmp / "var" / "media-unused"),
            "PROKURATURA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
            "AWS_ACCESS_KEY_ID": "cluster-test",
            "AWS_SECRET_ACCESS_KEY": secrets.token_hex(16),
            "AWS_S3_REGION_NAME": "us-east-1",
            "CACHE_KEY_PREFIX": f"cluster-{secrets.token_hex(4)}",
            "TASKS_LEASE_SECONDS": str(LEASE_SECONDS),
            "TASKS_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "DEMO_PASSWORD": f"Cluster-{secrets.token_urlsafe(12)}",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if args.redis_url.lower() != "none":
        env["REDIS_URL"] = args.redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def setup_django(env: dict[str, str]) -> None:
    """This process reads the cluster's database and store directly, for the checks."""
    os.environ.update(env)
    for key in ("PROKURATURA_TESTING", "DATABASE_TEST_NAME"):
        os.environ.pop(key, None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def worker_command() -> tuple[str, list[str]]:
    """`task_worker` (heartbeat and lease) when the project has it, else django_tasks_db's own `db_worker`."""
    if (ROOT / "prokuratura" / "core" / "management" / "commands" / "task_worker.py").exists():
        return "task_worker", []
    return "db_worker", ["--no-startup-delay", "--interval", "0.5"]


def run(args: argparse.Namespace, cluster: Cluster) -> None:
    env = cluster.env
    tmp = cluster.tmp

    # -- 1. set-up ------------------------------------------------------------------------------------------
    say(
        f"== set-up: database {args.db_name}, S3 at {env['AWS_S3_ENDPOINT_URL']}, cache {env.get('REDIS_URL', 'db')}"
    )
    drop_database(args.db_name)
    pg_admin(f'CREATE DATABASE "{args.db_name}"')
    cluster.start(
        "s3",
        [
            str(VENV_BIN / "moto_server"),
            "-H",
            "127.0.0.1",
            "-p",
            env["AWS_S3_ENDPOINT_URL"].rsplit(":", 1)[1],
        ],
    )
    smtp = cluster.start(
        "smtp",
        [PYTHON, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{env['EMAIL_PORT']}"],
    )
    static = cluster.start("collectstatic", [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"])
    setup_django(env)

    import boto3
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    from prokuratura.core.demo import demo_letters_refresh, seed_offices, seed_users

    offices = seed_offices()
    seed_users(offices)
    demo_letters_refresh()
    say(f"   migrated; {len(offices)} offices and the demo users")

    s3_client = boto3.client(
        "s3",
        endpoint_url=env["AWS_S3_ENDPOINT_URL"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_S3_REGION_NAME"],
    )
    wait_for("the S3 server", lambda: s3_client.list_buckets() is not None, 30)
    s3_client.create_bucket(Bucket=BUCKET)
    wait_for("collectstatic", lambda: static.popen.poll() is not None, 120)
    check(static.popen.returncode == 0, "static files collected (manifest storage, DEBUG off)")

    # -- 2. two web servers, two workers ---------------------------------------------------------------------
    ports = {"A": free_port(), "B": free_port()}
    webs: dict[str, Proc] = {}
    for name, port in ports.items():
        webs[name] = cluster.start(
            f"web-{name}",
            [
                str(VENV_BIN / "gunicorn"),
                "prokuratura.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.web_workers),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                # gunicorn 27's control socket has one default path per user: two servers on a machine collide.
                "--control-socket",
                str(tmp / f"gunicorn-{name}.ctl"),
            ],
        )
    command, extra = worker_command()
    workers: dict[str, Proc] = {}
    for name in ("w1", "w2"):
        worker_id = f"cluster-{name}"
        workers[worker_id] = cluster.start(
            f"worker-{name}", [PYTHON, "manage.py", command, "--worker-id", worker_id, *extra]
        )
    a, b = (Web(f"http://127.0.0.1:{ports[n]}") for n in ("A", "B"))
    for name, web in (("A", a), ("B", b)):

        def answers(web: Web = web) -> bool:
            return bool(web.get("/accounts/login/").status_code == 200)

        wait_for(f"web {name}", answers, 60)
    say(
        f"   web A :{ports['A']}, web B :{ports['B']} ({args.web_workers} workers each); workers: {command} ×2"
    )
    time.sleep(1.5)
    for worker_id, proc in workers.items():
        check(proc.alive(), f"worker {worker_id} (pid {proc.pid}) is running", proc.tail())

    # -- 3. the import, and a worker killed in the middle of it ----------------------------------------------
    password = env["DEMO_PASSWORD"]
    from django.db import close_old_connections

    from prokuratura.accounts.models import User
    from prokuratura.appeals.models import Appeal, ImportJob, Topic
    from prokuratura.core.models import Region

    registrar = User.objects.select_related("office").get(username=REGISTRAR)
    assert registrar.office is not None  # noqa: S101 - the demo registrar has an office
    say(f"== import of {args.rows} rows through web A, kill -9 of the worker holding it")
    public_a = Web(a.base)  # the citizen's browser: opened now, so the form is old enough when sent
    form_page = public_a.get("/appeals/public/new/")
    check(form_page.status_code == 200, "web A: the public form answers 200")
    form_opened = time.monotonic()

    a.login(REGISTRAR, password)
    check(a.get("/appeals/import/new/").status_code == 200, "web A: the import page answers 200")
    run_tag = secrets.token_hex(3)
    upload = a.post(
        "/appeals/import/new/",
        {"office": str(registrar.office.pk)},
        files={"file": (f"legacy-{run_tag}.csv", legacy_csv(args.rows, run_tag), "text/csv")},
    )
    location = upload.headers.get("Location", "")
    match = re.search(r"/appeals/import/(\d+)/", location)
    check(
        upload.status_code == 302 and match is not None,
        f"web A: the upload is accepted ({upload.status_code})",
    )
    assert match is not None  # noqa: S101 - checked above
    job_id = int(match.group(1))

    # The registrar's session, opened on A, is used on B: sessions live in the shared database.
    b_registrar = Web(b.base, a.session)
    status_b = b_registrar.get(f"/appeals/import/{job_id}/status/")
    check(status_b.status_code == 200, "web B: the job's progress, with the session opened on A")

    from django_tasks_db.models import DBTaskResult

    def import_tasks() -> list[DBTaskResult]:
        return [
            t
            for t in DBTaskResult.objects.filter(task_path__endswith="run_import_job").order_by("enqueued_at")
            if list(t.args_kwargs.get("args", [])) == [job_id]
            or t.args_kwargs.get("kwargs", {}).get("job_id") == job_id
        ]

    def job() -> ImportJob:
        close_old_connections()
        return ImportJob.objects.get(pk=job_id)

    def holder() -> str | None:
        running = [t for t in import_tasks() if t.status == "RUNNING" and t.worker_ids]
        return str(running[-1].worker_ids[-1]) if running else None

    def in_window() -> ImportJob | None:
        current = job()
        if current.state != ImportJob.State.RUNNING or not current.total_rows:
            if current.state in (ImportJob.State.DONE, ImportJob.State.FAILED):
                raise CheckFailed(
                    f"the import ended ({current.state}) before a worker could be killed: raise --rows"
                )
            return None
        share = current.processed_rows / current.total_rows
        if share > 0.9:
            raise CheckFailed(
                f"the import passed 90 % before the kill ({current.processed_rows}): raise --rows"
            )
        return current if share >= 0.1 else None

    started = time.monotonic()
    at_kill = wait_for("the import to reach 10 %", in_window, 120, interval=0.05)
    victim_id = holder()
    check(victim_id in workers, f"the import task is held by {victim_id}")
    assert victim_id is not None  # noqa: S101 - checked above
    victim = workers[victim_id]
    survivor_id = next(w for w in workers if w != victim_id)
    victim_pid = _task_worker_pid(victim_id) or victim.pid
    check(victim_pid == victim.pid, f"TaskWorker row / process of {victim_id}: pid {victim_pid}")
    victim.kill_group(signal.SIGKILL)
    victim.popen.wait(timeout=10)
    killed = job()
    rate = at_kill.processed_rows / max(0.1, time.monotonic() - started)
    say(
        f"   killed {victim_id} (pid {victim.pid}) at {killed.processed_rows}/{killed.total_rows} rows "
        f"(about {rate:.0f} rows/s); {survivor_id} must take over after the {LEASE_SECONDS} s lease"
    )

    def finished() -> ImportJob | None:
        current = job()
        return current if current.state in (ImportJob.State.DONE, ImportJob.State.FAILED) else None

    # Meanwhile the citizen's form has become old enough: file the appeal through A (step 4 below).
    time.sleep(max(0.0, FORM_MIN_SECONDS - (time.monotonic() - form_opened)))
    filed = file_public_appeal(public_a, form_page.text, Region, Topic)

    done = wait_for("the surviving worker to finish the import", finished, args.timeout, interval=0.5)
    say(f"   the job ended {done.state} {time.monotonic() - started:.1f} s after it started")
    check(done.state == ImportJob.State.DONE, f"the import is done (error: {done.error!r})")
    check(done.total_rows == args.rows, f"total rows {done.total_rows} = {args.rows}")
    check(
        done.processed_rows == done.total_rows, f"processed {done.processed_rows} = total {done.total_rows}"
    )
    check(not done.rejected, f"no row rejected ({len(done.rejected)})")
    # This database holds one import: every key `import:…:<row>` is one of its rows (the header is row 1).
    keys = list(
        Appeal.objects.filter(submission_key__startswith="import:").values_list("submission_key", flat=True)
    )
    rows = sorted(int(str(key).rsplit(":", 1)[1]) for key in keys)
    check(len(keys) == args.rows, f"{len(keys)} appeals under the import's keys = {args.rows} rows")
    check(rows == list(range(2, args.rows + 2)), "one appeal for each row 2…N+1: none lost, none twice")
    from django.db.models import Count

    dup_keys = (
        Appeal.objects.exclude(submission_key__isnull=True)
        .exclude(submission_key="")
        .values("submission_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    check(dup_keys == 0, "no submission key twice in the register")
    dup_numbers = Appeal.objects.values("reg_number").annotate(n=Count("id")).filter(n__gt=1).count()
    check(dup_numbers == 0, "no registration number twice")
    tasks = import_tasks()
    states = [t.status for t in tasks]
    check(
        "SUCCESSFUL" in states and not ({"READY", "RUNNING"} & set(states)),
        f"the import's task succeeded, none left queued or running ({states})",
    )
    holders = [w for t in tasks for w in t.worker_ids]
    check(survivor_id in holders, f"{survivor_id} ran it after {victim_id} died (worker ids {holders})")
    check(
        _object_exists(s3_client, str(done.file.name)),
        f"the uploaded register is in the bucket ({done.file.name})",
    )

    # -- 4. the appeal filed on A, read on B -----------------------------------------------------------------
    say("== the appeal filed through web A, read through web B")
    appeal = Appeal.objects.get(submission_key=f"web:{filed['submission_key']}")
    say(f"   appeal {appeal.reg_number} (id {appeal.pk}), tracking code {appeal.tracking_code}")
    public_b = Web(b.base)
    status_page = public_b.get("/appeals/public/status/", params={"code": appeal.tracking_code})
    check(
        status_page.status_code == 200 and appeal.reg_number in status_page.text,
        "web B: the public status page by the tracking code",
    )
    staff_b = Web(b.base)
    staff_b.login(STAFF_READER, password)
    detail = staff_b.get(f"/api/v1/appeals/{appeal.pk}")
    check(detail.status_code == 200, f"web B: GET /api/v1/appeals/{appeal.pk} answers 200 to {STAFF_READER}")
    body = detail.json()
    check(body.get("text") == filed["text"], "web B: the API returns the text filed on A")
    page = staff_b.get(f"/appeals/{appeal.pk}/")
    check(page.status_code == 200 and appeal.reg_number in page.text, "web B: the appeal's page")
    attachments = list(appeal.attachments.all())
    check(len(attachments) == 1, "one attachment stored")
    stored = attachments[0]
    check(
        _object_exists(s3_client, str(stored.file.name)),
        f"the attachment is in the bucket ({stored.file.name})",
    )
    check(not (Path(env["PROKURATURA_MEDIA_ROOT"])).exists(), "nothing written to the local media directory")
    download = staff_b.get(f"/appeals/{appeal.pk}/files/{stored.pk}/")
    check(download.status_code == 200, "web B: the attachment downloads")
    digest = hashlib.sha256(download.content).hexdigest()
    check(digest == filed["sha256"], f"its SHA-256 equals what was sent ({digest[:16]}…)")
    letters = staff_b.get(f"/api/v1/appeals/{appeal.pk}/letters")
    check(letters.status_code == 200 and letters.json(), "web B: the appeal's letters by the API")
    receipt = next((item for item in letters.json() if item["kind"] == "receipt"), None)
    check(receipt is not None, "the receipt is among them")
    assert receipt is not None  # noqa: S101 - checked above
    pdf = staff_b.get(receipt["pdf_url"])
    check(pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), f"web B: {receipt['pdf_url']} is a PDF")
    public_pdf = public_b.get("/appeals/public/letters/receipt.pdf", params={"code": appeal.tracking_code})
    check(
        public_pdf.status_code == 200 and public_pdf.content.startswith(b"%PDF"),
        "web B: the citizen's receipt PDF by the tracking code",
    )

    def letter_tasks() -> list[DBTaskResult]:
        close_old_connections()
        return [
            t
            for t in DBTaskResult.objects.filter(task_path__endswith="send_applicant_letter")
            if t.args_kwargs.get("args", [None])[0] == appeal.pk
        ]

    if letter_tasks():
        wait_for(
            "the receipt task",
            lambda: all(t.status in ("SUCCESSFUL", "FAILED") for t in letter_tasks()),
            30,
        )
        check(
            all(t.status == "SUCCESSFUL" for t in letter_tasks()),
            f"a worker sent the receipt ({[t.status for t in letter_tasks()]})",
        )
        wait_for(
            "the receipt in the mail server",
            lambda: filed["email"] in smtp.log.read_text(errors="replace"),
            10,
        )
        check(True, f"the SMTP server received the receipt for {filed['email']}")
    else:
        say("   (no receipt task was queued for this appeal)")

    # -- 5. web A dies -----------------------------------------------------------------------------------------
    say("== kill -9 of web A (master and workers)")
    webs["A"].kill_group(signal.SIGKILL)
    webs["A"].popen.wait(timeout=10)
    time.sleep(0.5)
    try:
        a.get("/accounts/login/")
        refused = False
    except Exception:
        refused = True
    check(refused, "web A refuses connections")
    check(
        b_registrar.get(f"/appeals/import/{job_id}/").status_code == 200,
        "web B: the job page, session from A",
    )
    check(staff_b.get("/api/v1/appeals?view=all").status_code == 200, "web B: the appeal list by the API")

    # -- 6. the audit trail -------------------------------------------------------------------------------------
    say("== audit_verify")
    result = cluster.manage("audit_verify")
    check(result.returncode == 0, "audit_verify passes", result.stdout[-1500:] + result.stderr[-1500:])
    say(f"   {result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ''}")
    for worker_id, proc in workers.items():
        if worker_id != victim_id:
            check(proc.alive(), f"worker {worker_id} is still running")
    check(webs["B"].alive(), "web B is still running")


def _task_worker_pid(worker_id: str) -> int | None:
    """The pid the project's TaskWorker row gives for a worker id, when the project keeps such rows."""
    try:
        from prokuratura.core.models import TaskWorker
    except ImportError:
        return None
    row = TaskWorker.objects.filter(worker_id=worker_id).first()
    return int(row.pid) if row is not None and getattr(row, "pid", None) else None


def _object_exists(client: Any, key: str) -> bool:
    try:
        client.head_object(Bucket=BUCKET, Key=key)
    except Exception:
        return False
    return True


def file_public_appeal(web: Web, form_html: str, region_model: Any, topic_model: Any) -> dict[str, str]:
    """Fill in the public form as a person would (the honeypot left empty, the sum solved) and send it."""

    def hidden(name: str) -> str:
        found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', form_html) or re.search(
            rf'value="([^"]*)"[^>]*name="{name}"', form_html
        )
        if found is None:
            raise CheckFailed(f"the public form has no {name}")
        return found.group(1)

    question = re.search(r"(\d+)\s*\+\s*(\d+)", form_html)
    if question is None:
        raise CheckFailed("the public form shows no sum")
    attachment = pdf_bytes()
    email = f"aigul.{secrets.token_hex(4)}@example.kz"
    text = f"Прошу проверить законность действий. Проверка кластера {secrets.token_hex(4)}."
    submission_key = hidden("submission_key")
    data = {
        "kind": "statement",
        "applicant_type": "individual",
        "applicant_name": "Кластерова Айгуль Серикқызы",
        "applicant_email": email,
        "applicant_language": "ru",
        "region": str(region_model.objects.get(kato_code=ASTANA_KATO).pk),
        "topic": str(topic_model.objects.get(code="labour").pk),
        "subject": "Проверка работы на двух серверах",
        "text": text,
        "consent_personal_data": "on",
        "website": "",
        "challenge_token": hidden("challenge_token"),
        "challenge_answer": str(int(question.group(1)) + int(question.group(2))),
        "submission_key": submission_key,
    }
    response = web.post(
        "/appeals/public/new/", data, files={"attachments": ("evidence.pdf", attachment, "application/pdf")}
    )
    errors = (
        re.findall(r'class="errorlist[^"]*"><li>([^<]*)', response.text)
        if response.status_code != 302
        else []
    )
    check(
        response.status_code == 302 and "/appeals/public/receipt/" in response.headers.get("Location", ""),
        f"web A: the public form with a PDF attachment is accepted ({response.status_code} {errors})",
    )
    receipt = web.get("/appeals/public/receipt/")
    check(receipt.status_code == 200, "web A: the receipt page")
    return {
        "submission_key": submission_key,
        "sha256": hashlib.sha256(attachment).hexdigest(),
        "text": text,
        "email": email,
    }


@contextlib.contextmanager
def terminated_on_signal() -> Iterator[None]:
    """SIGTERM (CI cancelling the job) runs the clean-up like Ctrl+C does."""

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main() -> int:
    args = parse_args()
    if not pg_reachable():
        message = f"SKIPPED: PostgreSQL not reachable at {PG_SERVER}"
        if args.require or os.environ.get("CI"):
            print(message.replace("SKIPPED", "FAILED"), file=sys.stderr)
            return 1
        print(message)
        return 0
    if args.redis_url.lower() != "none" and not redis_reachable(args.redis_url):
        # The shared cache then lives in the database (settings.SHARED_CACHE): still one store for every process.
        print(f"note: Redis not reachable at {args.redis_url}; the shared cache is the database's")
        args.redis_url = "none"
    tmp = Path(tempfile.mkdtemp(prefix="prokuratura-cluster-"))
    cluster = Cluster(tmp=tmp, env=cluster_env(args, tmp, free_port(), free_port()), db_name=args.db_name)
    failed: str | None = None
    with terminated_on_signal():
        try:
            run(args, cluster)
        except CheckFailed as exc:
            failed = str(exc)
        except KeyboardInterrupt:
            failed = "interrupted"
        except Exception as exc:
            import traceback

            traceback.print_exc()
            failed = f"{type(exc).__name__}: {exc}"
        finally:
            if failed:
                for proc in cluster.procs:
                    print(f"--- last lines of {proc.name} ({proc.log})\n{proc.tail()}", file=sys.stderr)
            cluster.stop_all()
            with contextlib.suppress(Exception):
                from django.db import connections

                connections.close_all()
            try:
                drop_database(args.db_name)
            except Exception as exc:
                print(f"could not drop {args.db_name}: {exc}", file=sys.stderr)
            if args.keep_logs:
                print(f"logs kept in {tmp}")
            else:
                shutil.rmtree(tmp, ignore_errors=True)
    if failed:
        print(f"\nFAILED: {failed}", file=sys.stderr)
        return 1
    say("cluster test: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
