#!/usr/bin/env bash
# A bounded schemathesis run over the whole REST API (`make test-schemathesis`).
#
# Starts the app itself — SQLite in a temporary PROKURATURA_VAR_DIR, migrated, with the reference data and the
# small data set of scripts/schemathesis_data.py — under gunicorn on a free port, then runs schemathesis against
# the published /api/v1/openapi.json twice: as a user who holds every role (reaches past every permission check)
# and as a signed-in user with no role (every operation must still answer as documented). Checks: no 5xx, status
# codes, content types and bodies as the document declares. Exits non-zero on any failure.
#
# Bounded for CI (about 3 minutes on 2 cores): SCHEMATHESIS_MAX_EXAMPLES (default 10) cases per operation, a
# fixed seed, the examples and fuzzing phases. Extra arguments are passed to `schemathesis run` (e.g.
# `--include-path-regex appeals`).
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-10}
SEED=${SCHEMATHESIS_SEED:-20250101}

work=$(mktemp -d -t prokuratura-schemathesis.XXXXXX)
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

export PROKURATURA_VAR_DIR="$work/var"
export PROKURATURA_TESTING=1 # fast password hashing, background tasks run in the request
export DATABASE_URL=
export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY="schemathesis-run-only-$(date +%s)"
export DJANGO_ALLOWED_HOSTS=127.0.0.1
# No mail leaves the run: the letters' sending fails (and is logged) against a port nothing listens on.
export EMAIL_HOST=127.0.0.1 EMAIL_PORT=9
export LOG_LEVEL=WARNING
mkdir -p "$PROKURATURA_VAR_DIR"

echo "== schemathesis: preparing a database in $work"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py load_reference >/dev/null
"$PY" scripts/schemathesis_data.py "$work/tokens.json"

port=$("$PY" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
base="http://127.0.0.1:$port"
# One sync worker: SQLite takes one writer at a time, and schemathesis sends one request at a time. The request
# line may be 8 KiB (nginx's default): a 200-character search in 4-byte characters is 2,400 bytes percent-encoded,
# and gunicorn's default of 4 KiB answered 414 to lists whose filters the document allows.
"$VENV/bin/gunicorn" prokuratura.wsgi:application --bind "127.0.0.1:$port" --workers 1 --timeout 60 \
    --limit-request-line 8190 --no-control-socket \
    --access-logfile /dev/null --error-logfile "$work/server.log" &
server_pid=$!

token() { "$PY" -c "import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$work/tokens.json" "$1"; }
FULL=$(token full)
OUTSIDER=$(token outsider)

"$PY" - "$base" "$FULL" "$work/openapi.json" <<'EOF'
import sys, time, urllib.request

base, token, target = sys.argv[1:4]
deadline = time.monotonic() + 60
while True:
    try:
        request = urllib.request.Request(f"{base}/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own server
            open(target, "wb").write(response.read())
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit("the server did not answer within 60 seconds")
        time.sleep(0.5)
EOF

run() {
    local who=$1 secret=$2
    shift 2
    echo "== schemathesis as $who ($MAX_EXAMPLES examples an operation, seed $SEED)"
    # From the work directory: schemathesis keeps a cache of past failures in ./.schemathesis, and each run
    # starts afresh.
    (cd "$work" && "$root/$VENV/bin/schemathesis" run "$work/openapi.json" --url "$base" \
        --header "Authorization: Bearer $secret" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        --phases examples,fuzzing --max-examples "$MAX_EXAMPLES" --seed "$SEED" \
        --generation-database none --workers 1 --request-timeout 30 --no-color \
        --suppress-health-check all "$@")
}

status=0
run "a user with every role" "$FULL" "$@" || status=1
run "a user with no role" "$OUTSIDER" --max-examples 3 "$@" || status=1
if [[ $status -ne 0 ]]; then
    echo "== schemathesis found failures; the server's log:" >&2
    tail -n 200 "$work/server.log" >&2 || true
fi
exit $status
