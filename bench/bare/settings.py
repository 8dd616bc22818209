"""Settings of the bare reference project (bench/bare): DEBUG off, no middleware but the bench's statement
counter, one app. The database is the app's own DATABASES, built by prokuratura.settings from the same environment
(DATABASE_URL, DB_CONN_MAX_AGE, DB_RANDOM_PAGE_COST), so both servers connect exactly alike."""

import os

from prokuratura import settings as app_settings

DEBUG = False
SECRET_KEY = app_settings.SECRET_KEY
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = ["bench.bare"]
# The statement counter answers only requests that ask for it (X-Count-Statements: 1), as in the app's bench
# settings (bench/http_settings.py): both stacks carry the same one extra check.
MIDDLEWARE = ["bench.bare.statements.StatementCountMiddleware"]
ROOT_URLCONF = "bench.bare.urls"
WSGI_APPLICATION = "bench.bare.wsgi.application"

DATABASES = app_settings.DATABASES
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

USE_TZ = True
TIME_ZONE = app_settings.TIME_ZONE
USE_I18N = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
