# prokuratura — the two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
# Test processes for the SQLite and PostgreSQL suites (pytest-xdist; each gets its own database).
TEST_WORKERS ?= 2
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PG_DEFAULT_URL := postgres://root@127.0.0.1:5432/test
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help run test lint migrations-check test-sqlite test-postgres test-browser messages makemessages \
        sysdeps-run sysdeps-test setup-run demo bench clean

help:
	@echo "make run    set up and serve the app on http://127.0.0.1:$(PORT) with demo data (SQLite)"
	@echo "make test   set up and run lint, migration check, tests on SQLite and PostgreSQL, browser tests"

$(VENV)/.installed: requirements.lock pyproject.toml
	@py=$$(scripts/python.sh) || exit 1; \
	  if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

sysdeps-run:
	@scripts/system-deps.sh run

sysdeps-test:
	@scripts/system-deps.sh test

messages: $(VENV)/.installed
	@$(MANAGE) compilemessages --ignore=.venv -v0

makemessages: $(VENV)/.installed
	$(MANAGE) makemessages -l kk -l ru -l en --ignore=.venv --ignore=var --no-obsolete
	$(MANAGE) makemessages -d djangojs -l kk -l ru -l en --ignore=.venv --ignore=var --ignore=prokuratura/static/vendor --no-obsolete

setup-run: sysdeps-run $(VENV)/.installed messages
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) load_reference
	$(MANAGE) load_cooperation
	$(MANAGE) load_supervision
	$(MANAGE) load_relations
	$(MANAGE) seed_demo --if-empty
	$(MANAGE) collectstatic --noinput -v0

run: setup-run
	@echo ""
	@echo "prokuratura is starting on http://127.0.0.1:$(PORT)/  (stop with Ctrl+C)"
	@$(MANAGE) demo_logins
	$(MANAGE) runserver 127.0.0.1:$(PORT) --noreload

demo: setup-run

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check $$(git ls-files '*.html')
	$(VENV)/bin/mypy prokuratura

migrations-check: $(VENV)/.installed
	PROKURATURA_TESTING=1 $(MANAGE) makemigrations --check --dry-run

test-sqlite: $(VENV)/.installed messages
	PROKURATURA_TESTING=1 DATABASE_URL= $(VENV)/bin/pytest -m "not browser" -q -n $(TEST_WORKERS)

# PostgreSQL: $DATABASE_URL when set, else the local server when it answers. On CI it must run.
test-postgres: $(VENV)/.installed messages
	@url="$${DATABASE_URL:-$(PG_DEFAULT_URL)}"; \
	if $(PY) scripts/db_ready.py "$$url"; then \
	  echo "== tests on PostgreSQL ($$url)"; \
	  PROKURATURA_TESTING=1 DATABASE_URL="$$url" $(VENV)/bin/pytest -m "not browser" -q -n $(TEST_WORKERS) || exit 1; \
	elif [ -n "$$CI" ]; then echo "PostgreSQL is not reachable at $$url and CI must test on it." >&2; exit 1; \
	else echo "SKIPPED: PostgreSQL not reachable at $$url (set DATABASE_URL)"; fi

# Two gunicorn servers and two task workers on one PostgreSQL database, an S3 server (moto) and Redis: an appeal
# filed on one server is read on the other, a worker killed mid-import is taken over (scripts/cluster_test.py).
.PHONY: test-cluster
test-cluster: $(VENV)/.installed messages
	$(PY) scripts/cluster_test.py

# A bounded schemathesis run over the whole API against a server it starts itself (scripts/schemathesis_run.sh):
# no 5xx, and every status code, content type and body as /api/v1/openapi.json declares.
.PHONY: test-schemathesis
test-schemathesis: $(VENV)/.installed messages
	scripts/schemathesis_run.sh

test-browser: $(VENV)/.installed messages
	PROKURATURA_TESTING=1 DATABASE_URL= DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -m browser -q

test: sysdeps-test $(VENV)/.installed messages lint migrations-check test-sqlite test-postgres test-schemathesis test-cluster test-browser
	@echo "make test: all suites passed"

bench: $(VENV)/.installed
	@ls bench/*.py

clean:
	rm -rf $(VENV) var staticfiles
