"""The app's settings under bench/http_bench.py: prokuratura.settings unchanged, plus the statement counter
(bench/bare/statements.py) first in the middleware, which does nothing unless a request asks for it."""

from prokuratura.settings import *  # noqa: F403 - the production settings, as they are
from prokuratura.settings import MIDDLEWARE as APP_MIDDLEWARE

MIDDLEWARE = ["bench.bare.statements.StatementCountMiddleware", *APP_MIDDLEWARE]
