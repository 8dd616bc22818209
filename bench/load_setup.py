"""Start a deployment for the load driver (bench/load.py): gunicorn and a task worker on PostgreSQL, with demo data.

    .venv/bin/python bench/load_setup.py [--appeals 50000] [--workers 4] [--port 8100] [--reuse]
    # then, in another terminal:
    .venv/bin/python bench/load.py --credentials var/bench/load.json --ramp
    .venv/bin/python bench/load.py --credentials var/bench/load.json --rate <capacity> --duration 60

The database `prokuratura_load` on the local PostgreSQL server is dropped and rebuilt (migrate, reference data,
the demo office tree and users, --appeals demo appeals, VACUUM ANALYZE), unless --reuse finds it built with the same
number of appeals. The settings are the production ones: DEBUG off, Argon2, the database task queue, static files
collected and served by WhiteNoise, the shared cache in Redis (--redis-url; 'none' for the database cache), and
TRUSTED_PROXIES=127.0.0.1 so the driver's X-Forwarded-For stands for the citizens' own addresses, as nginx's would.

It writes var/bench/load.json — the URL, a new API token and the sign-in of the demo head at the General
Prosecutor's Office (who sees every appeal and may register), 200 tracking codes — then serves in the foreground
until Ctrl+C, and stops what it started. The database is kept for --reuse.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import signal
import subprocess  # noqa: S404 - starts the servers to measure
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://root@127.0.0.1:5432")
VAR = ROOT / "var" / "bench" / "load"
CREDENTIALS = ROOT / "var" / "bench" / "load.json"
USERNAME = "head_gpo"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--appeals", type=int, default=50_000, help="Demo appeals (default %(default)s).")
    parser.add_argument("--dbname", default="prokuratura_load")
    parser.add_argument(
        "--reuse", action="store_true", help="Keep the database when it has --appeals appeals."
    )
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument(
        "--workers", type=int, default=4, help="gunicorn worker processes (default %(default)s)."
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="Threads per gunicorn worker (gthread when > 1)."
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument(
        "--setup-only", action="store_true", help="Build and write the credentials, then exit."
    )
    return parser.parse_args()


def environment(args: argparse.Namespace, password: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PROKURATURA_TESTING", "DATABASE_TEST_NAME")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "prokuratura.settings",
            "DATABASE_URL": f"{PG_SERVER}/{args.dbname}",
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PROKURATURA_VAR_DIR": str(VAR),
            "TRUSTED_PROXIES": "127.0.0.1",
            "DEMO_PASSWORD": password,
            "CACHE_KEY_PREFIX": f"load-{secrets.token_hex(4)}",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_PORT": "1",  # nothing listens: a receipt e-mail fails in the worker, never in a request
            "LOG_LEVEL": "WARNING",
        }
    )
    env.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    if args.redis_url.lower() != "none":
        env["REDIS_URL"] = args.redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def build(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    import psycopg
    from psycopg import sql

    previous: dict[str, Any] = json.loads(CREDENTIALS.read_text()) if CREDENTIALS.exists() else {}
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.dbname]).fetchone()
        reuse = bool(
            exists and args.reuse and previous.get("appeals") == args.appeals and previous.get("password")
        )
        if exists and not reuse:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(args.dbname)))
        if not reuse:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(args.dbname)))
    if reuse:
        env["DEMO_PASSWORD"] = previous["password"]
    os.environ.update(env)
    os.environ.pop("PROKURATURA_TESTING", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from prokuratura.accounts.models import User
    from prokuratura.accounts.services import token_create
    from prokuratura.appeals.demo import seed_appeals
    from prokuratura.appeals.models import Appeal
    from prokuratura.core.demo import demo_letters_refresh, seed_offices, seed_users

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not reuse:
        with open(os.devnull, "w") as quiet:
            call_command("load_reference", stdout=quiet)
        seed_users(seed_offices())
        demo_letters_refresh()
        print(f"seeding {args.appeals:,} appeals…", flush=True)
        seed_appeals(count=args.appeals, seed=1)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    VAR.mkdir(parents=True, exist_ok=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"database {args.dbname} ready in {time.perf_counter() - started:.0f} s", flush=True)

    user = User.objects.get(username=USERNAME)
    _token, secret = token_create(by=user, name=f"load {time.strftime('%Y-%m-%d %H:%M')}")
    codes = list(Appeal.objects.order_by("?").values_list("tracking_code", flat=True)[:200])
    return {
        "url": f"http://127.0.0.1:{args.port}",
        "token": secret,
        "username": USERNAME,
        "password": env["DEMO_PASSWORD"],
        "tracking_codes": codes,
        "region_kato": "710000000",
        "topic_code": "labour",
        "appeals": args.appeals,
        "database": args.dbname,
        "gunicorn_workers": args.workers,
        "gunicorn_threads": args.threads,
    }


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own server over http
            return True
    except OSError:
        return False


def main() -> int:
    args = parse_args()
    env = environment(args, f"Load-{secrets.token_urlsafe(12)}")
    credentials = build(args, env)
    CREDENTIALS.parent.mkdir(parents=True, exist_ok=True)
    CREDENTIALS.write_text(json.dumps(credentials, ensure_ascii=False, indent=2))
    CREDENTIALS.chmod(0o600)
    print(f"credentials written to {CREDENTIALS.relative_to(ROOT)}")
    if args.setup_only:
        return 0
    gunicorn = [
        str(BIN / "gunicorn"),
        "prokuratura.wsgi:application",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--control-socket",
        str(VAR / "gunicorn.ctl"),
        "--timeout",
        "60",
    ]
    worker = [str(BIN / "python"), "manage.py", "task_worker"]
    procs = [
        subprocess.Popen(argv, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603 - our own executables
        for argv in (gunicorn, worker)
    ]
    try:
        for _ in range(120):
            if _answers(f"{credentials['url']}/accounts/login/"):
                break
            time.sleep(0.5)
        print(f"serving {credentials['url']} with {args.workers} gunicorn workers; Ctrl+C stops", flush=True)
        print(
            f"  .venv/bin/python bench/load.py --credentials {CREDENTIALS.relative_to(ROOT)} --ramp",
            flush=True,
        )
        # Ctrl+C and SIGTERM both stop the servers (a shell's background job ignores SIGINT unless told).
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)
        while all(p.poll() is None for p in procs):
            time.sleep(1)
        print("a server stopped", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())
