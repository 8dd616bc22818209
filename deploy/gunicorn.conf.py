"""gunicorn settings for prokuratura-web.service (docs/OPERATIONS.md, "Deploying").

    gunicorn --config deploy/gunicorn.conf.py prokuratura.wsgi

Every value can be changed in /etc/prokuratura/prokuratura.env without editing this file (GUNICORN_*).
"""

import multiprocessing
import os

wsgi_app = "prokuratura.wsgi:application"

# Loopback only: nginx on the same machine is the one way in (deploy/nginx/prokuratura.conf). A TCP address, not a
# unix socket, so the app sees nginx as 127.0.0.1 — the address TRUSTED_PROXIES names.
bind = [b.strip() for b in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if b.strip()]

# Sync workers, cores + 1: a request is CPU work in Python with short waits on PostgreSQL, so one worker more than
# the cores keeps them busy while one waits. Measured on 2 cores with 8 clients registering (docs/PERFORMANCE.md,
# "Registration over HTTP"): 3 sync workers served the most registrations at the least CPU each; gunicorn's rule
# of thumb, (2 × cores) + 1 = 5, and 2 gthread workers × 4 threads about a quarter fewer.
workers = int(os.environ.get("GUNICORN_WORKERS") or (multiprocessing.cpu_count() + 1))
# Threads per worker; above 1 gunicorn runs the gthread worker, which keeps nginx's idle upstream connections open,
# but a request that hangs there is not killed by `timeout` (the worker's main thread still answers the arbiter).
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or ("gthread" if threads > 1 else "sync")

# A request that runs longer than this is killed (and logged): a 20 MB import upload is parsed in a task, not in
# the request, and the slowest page (a PDF letter) takes a few seconds.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On SIGTERM or a reload (HUP), a worker finishes the requests it has before it goes.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# The longest request line nginx passes on (8 KiB): a 200-character search typed in Kazakh letters is up to 1,600
# bytes percent-encoded, and gunicorn's default of 4094 would answer a long filtered list URL with its own 414 page.
limit_request_line = 8190

# Restart each worker after about ten thousand requests (spread by the jitter, so they do not all restart at once):
# a slow leak in a library never grows for days. Not fewer: a new worker spends ~2 s of CPU building the URLconf (the
# API's 161 operations make ~1,600 pydantic models) before its first answer — every thousand requests that was ~2 ms
# of each registration's CPU (docs/PERFORMANCE.md, "Registration over HTTP").
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "1000"))

# The addresses whose X-Forwarded-Proto gunicorn believes: the same proxies Django trusts for X-Forwarded-For.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES") or "127.0.0.1,::1"

# The heartbeat files in memory, not on a disk that may stall (gunicorn's advice); the unit has a private /dev.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - gunicorn's documented place for its heartbeat files
# No control socket: the unit's file system is read-only outside /var/lib/prokuratura, and systemctl reload
# (HUP) and restart cover what the socket would be used for.
control_socket_disable = True

# Logs to standard output/error, i.e. the journal. The first field is the client as nginx saw it
# (X-Forwarded-For); the second the direct peer (nginx); the last the time taken in milliseconds.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
access_log_format = '%({x-forwarded-for}i)s %(h)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
proc_name = "prokuratura"
