"""One registration's CPU, in-process: the app's WSGI handler called directly (no HTTP, no gunicorn), on a database
bench/http_bench.py seeded.

    nice -n 5 .venv/bin/python bench/http_bench.py --appeals 10000 --dbname http_small --seed-only   # once
    nice -n 5 .venv/bin/python bench/registration_cpu.py --dbname http_small [--registrations 200] [--profile FILE]
        [--redis-url URL|none]

It creates an API token for the demo head of the General Prosecutor's Office, posts 50 registrations to warm the
process (the URLconf, the per-connection statements of core.prepared), then --registrations more, and prints per
registration: this process's CPU (`time.process_time`), the wall time, and the CPU of its PostgreSQL backend (from
/proc). With --profile it runs them again under cProfile (CPU time) and prints the Python function calls per
registration and the profile's top entries; the statistics go to FILE. DB_PREPARED_STATEMENTS=0 in the environment
measures without prepared statements. Every answer must be 201.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dbname", default="http_small", help="PostgreSQL database (default %(default)s).")
    parser.add_argument("--registrations", type=int, default=200)
    parser.add_argument("--profile", help="Also profile them; write the statistics to this file.")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0", help="'none': the database cache.")
    args = parser.parse_args()

    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    os.environ.pop("PROKURATURA_TESTING", None)
    os.environ.update(
        {
            "DATABASE_URL": f"postgres://root@127.0.0.1:5432/{args.dbname}",
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "TRUSTED_PROXIES": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "bench.http_settings",
        }
    )
    if args.redis_url.lower() != "none":  # the shared cache as http_bench.py's servers have it
        os.environ["REDIS_URL"] = args.redis_url
    import django

    django.setup()
    import http_bench  # bench/http_bench.py: the same bodies
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from prokuratura.accounts.models import User
    from prokuratura.accounts.services import token_create

    run = secrets.token_hex(3)
    _token, secret = token_create(by=User.objects.get(username="head_gpo"), name=f"registration cpu {run}")
    n = args.registrations
    bodies = iter(http_bench.request_bodies(run, 50 + 2 * n))
    handler = WSGIHandler()
    keys = itertools.count()

    def register() -> None:
        body = next(bodies)
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": http_bench.APP_PATH,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_X_FORWARDED_FOR": "10.20.30.40",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_AUTHORIZATION": f"Bearer {secret}",
            "HTTP_IDEMPOTENCY_KEY": f"cpu-{run}-{next(keys)}",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        status: list[str] = []
        answer = handler(environ, lambda line, _headers, _exc=None: status.append(line))
        content = b"".join(answer)
        if not status[0].startswith("201"):
            raise SystemExit(f"{status[0]}: {content[:300]!r}")

    for _i in range(50):
        register()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    def backend_cpu() -> float:
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    cpu, wall, pg = time.process_time(), time.perf_counter(), backend_cpu()
    for _i in range(n):
        register()
    cpu, wall, pg = time.process_time() - cpu, time.perf_counter() - wall, backend_cpu() - pg
    print(
        f"per registration: CPU {1000 * cpu / n:.2f} ms, wall {1000 * wall / n:.2f} ms, "
        f"PostgreSQL backend CPU {1000 * pg / n:.2f} ms ({n} registrations, "
        f"prepared statements {'off' if os.environ.get('DB_PREPARED_STATEMENTS') == '0' else 'on'})"
    )
    if args.profile:
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for _i in range(n):
            register()
        profile.disable()
        profile.dump_stats(args.profile)
        stats = pstats.Stats(profile)
        print(f"Python function calls per registration: {stats.total_calls // n:,}")  # type: ignore[attr-defined]
        stats.sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
