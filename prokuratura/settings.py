"""Settings for prokuratura.

Everything secret or deployment-specific comes from the environment (see docs/OPERATIONS.md):
DJANGO_SECRET_KEY, DATABASE_URL, DJANGO_DEBUG, DJANGO_ALLOWED_HOSTS, EMAIL_URL-style EMAIL_* variables.
"""

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PROKURATURA_VAR_DIR", BASE_DIR / "var"))

DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
TESTING = os.environ.get("PROKURATURA_TESTING", "0") == "1"


def _secret_key() -> str:
    key = os.environ.get("DJANGO_SECRET_KEY")
    if key:
        return key
    # Development only: a per-checkout random key kept out of the repository in var/.
    # Production refuses to start without DJANGO_SECRET_KEY (see the check in core.checks).
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "ninja",
    "prokuratura.core",
    "prokuratura.accounts",
    "prokuratura.appeals",
    "prokuratura.cooperation",
    "prokuratura.supervision",
    "prokuratura.relations",
    "prokuratura.open311",
]
if TESTING:
    # A lifecycle declared the way a new module declares one, for the kernel's own tests (core/tests).
    INSTALLED_APPS.append("prokuratura.core.tests.lifecycle_example")

MIDDLEWARE = [
    # First, so that everything below (throttles, audit, sign-in failures) sees the client's address.
    "prokuratura.core.middleware.ClientAddressMiddleware",
    # Above WhiteNoise, so that static files get Permissions-Policy and keep their own Cache-Control.
    "prokuratura.core.middleware.ResponseHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before anything reads the body, the session or the path: refuses NUL, strips controls and bidi overrides.
    "prokuratura.core.input_policy.InputPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "prokuratura.core.htmx.VaryOnHtmxMiddleware",
    "prokuratura.accounts.middleware.TwoFactorEnforcementMiddleware",
    "prokuratura.core.middleware.AccessPolicyMiddleware",
]

ROOT_URLCONF = "prokuratura.urls"
WSGI_APPLICATION = "prokuratura.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "prokuratura" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "prokuratura.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    # An empty DATABASE_URL (as `make test-sqlite` sets it) means the embedded default, like an unset one.
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock at BEGIN, so two writers never read the same
    # audit-chain head and fork it; WAL lets readers go on while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Covering indexes (INCLUDE) are PostgreSQL's, where the national register runs; on SQLite the index is built
    # without its non-key columns, which is all the embedded database needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
_page_cost = os.environ.get("DB_RANDOM_PAGE_COST", "1.1").strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and _page_cost:
    # The planner's cost of a random page read. PostgreSQL's default (4) was set for spinning disks and makes it
    # prefer reading a whole table to an index on a big one; 1.1 is the usual value for SSD or a table held in
    # memory, which is what the national register runs on (docs/PERFORMANCE.md, "Search"). A site whose DBA set
    # the server's own value leaves DB_RANDOM_PAGE_COST empty.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c random_page_cost={float(_page_cost)}"
# The busiest statements (core.prepared) are prepared once per connection on PostgreSQL; 0 behind a pooler that
# cannot keep prepared statements (PgBouncer in transaction mode before 1.21, without max_prepared_statements).
DB_PREPARED_STATEMENTS = os.environ.get("DB_PREPARED_STATEMENTS", "1").strip() != "0"
if os.environ.get("DATABASE_TEST_NAME"):
    # Lets two test runs share one PostgreSQL server without colliding on the test database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DATABASE_TEST_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["prokuratura.accounts.backends.RoleBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow (~50 ms a hash); the suite creates thousands of users. Production keeps Argon2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failures (accounts.services.login_attempt_*).
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "prokuratura.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and os.environ.get("DJANGO_SECURE", "0") == "1":
    # Production behind HTTPS (deploy/prokuratura.env.example); `check --deploy` is clean with these.
    # Cookies never travel over plain HTTP.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # nginx already redirects port 80; Django redirects too, so a misrouted plain request never gets a page.
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    # includeSubDomains covers only names below the app's own host (e.g. *.prokuratura.example.kz), all of which
    # belong to this service: safe, and it closes cookie injection from an HTTP subdomain.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # "preload" asks browsers to hard-code HTTPS for the whole registrable domain, hard to undo and binding every
    # other service of that domain: the domain owner's decision (DJANGO_HSTS_PRELOAD=1), not the app's. Without
    # it, the check that asks for it (W021) is silenced on purpose.
    SECURE_HSTS_PRELOAD = os.environ.get("DJANGO_HSTS_PRELOAD", "0") == "1"
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W021"]
    if os.environ.get("TRUSTED_PROXIES", "").strip():
        # Behind a reverse proxy (nginx terminates TLS) every request reaches Django over plain HTTP; without this
        # request.is_secure() is False and SECURE_SSL_REDIRECT redirects forever. Trusting X-Forwarded-Proto is
        # safe only when a proxy is configured (TRUSTED_PROXIES) that overwrites the header on every request
        # (deploy/nginx/prokuratura.conf: `proxy_set_header X-Forwarded-Proto $scheme`) and the app cannot be
        # reached except through it (gunicorn listens on the loopback only).
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed; empty trusts
# nobody and REMOTE_ADDR is the client (core.middleware.ClientAddressMiddleware; docs/OPERATIONS.md).
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
# Browser features the app never uses, switched off on every response (core.middleware.ResponseHeadersMiddleware).
# Nothing in prokuratura/static asks for any of them (printing is not a policy-controlled feature). Only names that
# Chromium knows on every desktop: an unknown one is a console error, which the browser tests refuse.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "clipboard-read",
        "clipboard-write",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Django 6's built-in Content-Security-Policy: no inline script or style anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "ru"
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Dates read dd.mm.yyyy in every language (prokuratura/formats/__init__.py says why).
FORMAT_MODULE_PATH = ["prokuratura.formats"]
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "prokuratura" / "static"]


def _default_storage() -> dict[str, Any]:
    if os.environ.get("PROKURATURA_STORAGE", "local") != "s3":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES = {
    # Attachments and imports: local disk by default; any S3-compatible store (MinIO, Ceph, …) with
    # PROKURATURA_STORAGE=s3 and the AWS_* variables of django-storages (see docs/OPERATIONS.md).
    "default": _default_storage(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_ROOT = Path(os.environ.get("PROKURATURA_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "prokuratura.core.task_backend.DatabaseBackend"
        ),
    }
}
# Leases of background tasks (core.tasks, `manage.py task_worker`): each worker writes a heartbeat every
# TASKS_HEARTBEAT_SECONDS; a task whose worker has not written one for TASKS_LEASE_SECONDS (killed, its machine
# lost) is handed to a live worker, which resumes it — at most TASKS_MAX_ATTEMPTS runs, then the task is failed.
# The lease must be several heartbeats long, so a busy database does not make a live worker look dead.
TASKS_LEASE_SECONDS = float(os.environ.get("TASKS_LEASE_SECONDS", "30"))
TASKS_HEARTBEAT_SECONDS = float(os.environ.get("TASKS_HEARTBEAT_SECONDS", "5"))
TASKS_MAX_ATTEMPTS = int(os.environ.get("TASKS_MAX_ATTEMPTS", "3"))

# Django 6.1 mailers. SMTP settings come from the environment; tests point them at a local SMTP server.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "127.0.0.1"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": os.environ.get("EMAIL_USE_TLS", "0") == "1",
            "timeout": 10,
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@prokuratura.local")

# The audit chain (core.audit). AUDIT_SEAL_INLINE: each entry is chained as it is written, under the lock of the
# chain's head row — right for SQLite, which lets one transaction write at a time anyway; on PostgreSQL that lock
# would make every write in the system wait for the one before it to commit, so there writers only insert and a
# sealer chains what has committed: every `task_worker` every AUDIT_SEAL_SECONDS, `manage.py audit_seal` from its
# timer, and audit_verify, audit_anchor and backup_create before they start. An entry still unsealed
# AUDIT_SEAL_STALE_SECONDS after it was written is a problem audit_verify reports (no sealer, or a transaction
# open that long).
AUDIT_SEAL_INLINE = (
    os.environ.get(
        "AUDIT_SEAL_INLINE", "1" if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else "0"
    )
    == "1"
)
AUDIT_SEAL_SECONDS = float(os.environ.get("AUDIT_SEAL_SECONDS", "1.0"))
AUDIT_SEAL_STALE_SECONDS = float(os.environ.get("AUDIT_SEAL_STALE_SECONDS", "300"))

# Where `manage.py audit_anchor` writes the audit-chain head (core.anchors), comma-separated:
# file:/path/anchors.jsonl, syslog, syslog:/path/to/socket, syslog:host:port, mail:a@example.kz;b@example.kz
AUDIT_ANCHOR_SINKS = [s.strip() for s in os.environ.get("AUDIT_ANCHORS", "").split(",") if s.strip()]

# Two caches. "default" is each process's own memory: memoised law-as-data (rules, the calendar) that a process may
# keep for a minute. "shared" is one store for every web process and worker on every machine: throttles, one-time
# challenges, sign-in lockout. Redis when REDIS_URL is set (production), else a table of the database (the embedded
# default; created by migration core 0005). Never per-process: a limit kept in each worker's memory is multiplied by
# the number of workers.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
SHARED_CACHE: dict[str, Any] = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "prokuratura"),
        "TIMEOUT": 300,
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "core_shared_cache",
        "TIMEOUT": 300,
    }
)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "prokuratura"},
    "shared": SHARED_CACHE,
}

OTP_TOTP_ISSUER = "prokuratura"

NINJA_PAGINATION_PER_PAGE = 50

# Request bodies (core.input_policy answers 413 above these). The text of a form or a JSON body, files not counted:
# an appeal's longest text (100,000 characters) is at most 600 KB even percent-encoded Cyrillic, so 2.5 MB leaves
# room and still stops a client from making a worker hold a huge body in memory. Attached files are limited by the
# appeals rules (attachment_max_mb × attachment_max_count) and by nginx's client_max_body_size (docs/OPERATIONS.md).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# How long an API create waits for a concurrent request holding the same Idempotency-Key before 409 (seconds).
IDEMPOTENCY_WAIT_SECONDS = float(os.environ.get("IDEMPOTENCY_WAIT_SECONDS", "10"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR" if TESTING else "WARNING"}},
}
