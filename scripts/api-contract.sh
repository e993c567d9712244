#!/usr/bin/env bash
# API contract check: runs schemathesis against a bridge binary's own OpenAPI document
# (/api/v1/openapi.json) on a throwaway SQLite database with the demo organisation.
#
#   scripts/api-contract.sh [BRIDGE_BINARY] [extra schemathesis run options...]
#
# BRIDGE_BINARY defaults to target/release/bridge, else target/debug/bridge.
# Environment: MAX_EXAMPLES (default 30), WORKERS (default 1), REPORT_DIR
# (default target/api-contract-report; JUnit and NDJSON reports land there).
# Exits non-zero when schemathesis reports failures or the harness itself breaks.
set -euo pipefail

# Pinned so that runs are comparable; bump deliberately (newest that installs on Python 3.11).
SCHEMATHESIS_VERSION=4.32.5

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [[ $# -ge 1 ]]; then
    bin=$1
    shift
elif [[ -x $repo/target/release/bridge ]]; then
    bin=$repo/target/release/bridge
else
    bin=$repo/target/debug/bridge
fi
[[ -x $bin ]] || { echo "api-contract: no executable bridge binary at $bin" >&2; exit 2; }
bin=$(realpath "$bin")   # we cd elsewhere below

max_examples=${MAX_EXAMPLES:-30}
# One worker: the server needs the second of this machine's 2 cores, 2 workers were no faster,
# and with 2 workers CPython 3.11's ast.parse, which hypothesis calls from several threads to
# describe lambdas, intermittently raises "SystemError: AST constructor recursion depth
# mismatch" (a harness error, not an API finding). One worker takes well under a minute.
workers=${WORKERS:-1}
report_dir=$(realpath -m "${REPORT_DIR:-$repo/target/api-contract-report}")

# --- schemathesis in its own virtualenv, created once and reused -------------------------
venv=$repo/target/api-contract-venv
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -qF "version $SCHEMATHESIS_VERSION"; then
    echo "api-contract: installing schemathesis $SCHEMATHESIS_VERSION into $venv" >&2
    [[ -x $venv/bin/python ]] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# --- a fresh database and server in a scratch directory ----------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/api-contract.XXXXXX")
server_pid=
st_pid=
cleanup() {
    local pid
    for pid in $st_pid $server_pid; do
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Flags beat BRIDGE_* variables, but drop them anyway (BRIDGE_CONFIG, BRIDGE_MAX_BODY_BYTES, ...)
# so the developer's own settings cannot change what is tested. The scratch directory as the
# working directory keeps a bridge.toml (or schemathesis.toml, .hypothesis/) in the repo out.
while read -r var; do unset "$var"; done < <(compgen -e | grep '^BRIDGE_' || true)
cd "$work"

db="sqlite://$work/bridge.db"
"$bin" demo --database "$db" >"$work/demo.log" 2>&1 \
    || { cat "$work/demo.log" >&2; echo "api-contract: loading the demo organisation failed" >&2; exit 2; }

# `token create` prints the secret alone on stdout (brg_...); take the last line to be safe.
token=$("$bin" token create --database "$db" --email nkechi.adeyemi@alderbrook.example --name contract | tail -n 1)
[[ $token == brg_* ]] || { echo "api-contract: unexpected token output: $token" >&2; exit 2; }

# A free port from the kernel; the tiny window before bridge binds it is acceptable here.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
"$bin" serve --database "$db" --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$base/readyz" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null \
        || { cat "$work/serve.log" >&2; echo "api-contract: bridge exited before it was ready" >&2; exit 2; }
    sleep 0.25
done
curl -fsS -o /dev/null "$base/readyz" \
    || { tail -n 50 "$work/serve.log" >&2; echo "api-contract: bridge not ready after 30 s" >&2; exit 2; }

auth="Authorization: Bearer $token"
# The id of our own token, so the run never revokes it (see the hook below).
token_id=$(curl -fsS -H "$auth" "$base/api/v1/tokens" \
    | python3 -c 'import json, sys; print(next(t["id"] for t in json.load(sys.stdin) if t["label"] == "contract"))')

# DELETE /api/v1/tokens/{id} with our own id revokes the token the run authenticates with,
# and every later request gets 401 (checked: the coverage phase's "default positive" case
# takes the id from GET /api/v1/tokens and does exactly that, leaving 28 operations with
# nothing but 401s). So a hook drops just that one case; revoke_token is still tested with
# every other id (the tokens the run creates itself, unknown ids, malformed ids). Archiving or
# demoting ourselves needs no such care: the API refuses both (409 / 422).
cat >"$work/hooks.py" <<'EOF'
import os

import schemathesis

OWN_TOKEN_ID = os.environ["CONTRACT_TOKEN_ID"]


@schemathesis.hook
def filter_case(context, case):
    if case.method.upper() == "DELETE" and case.operation.path == "/api/v1/tokens/{id}":
        return str((case.path_parameters or {}).get("id")) != OWN_TOKEN_ID
    return True
EOF

# --- the contract run ---------------------------------------------------------------------
# The document's paths are absolute (/api/v1/people, ...) and it has no `servers`, so the
# base URL is the bare origin; with .../api/v1 they would resolve to /api/v1/api/v1/... .
# Old reports go: only this run's are meant to be read, and each NDJSON is several MB.
mkdir -p "$report_dir"
rm -f "$report_dir"/junit-*.xml "$report_dir"/ndjson-*.ndjson
# --continue-on-failure: report every distinct failure of an operation, not only its first.
# --generation-database none: nothing is written to .hypothesis/ between runs.
# timeout: a hung run fails here instead of running into the caller's limits.
# In the background plus `wait`, so that Ctrl-C / TERM reach the trap at once (bash runs traps
# only after a foreground child exits) and the cleanup stops schemathesis and the server.
status=0
started=$SECONDS
CONTRACT_TOKEN_ID=$token_id SCHEMATHESIS_HOOKS="$work/hooks.py" \
timeout 540 "$venv/bin/schemathesis" run "$base/api/v1/openapi.json" \
    --url "$base" \
    --header "$auth" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
    --max-examples "$max_examples" \
    --workers "$workers" \
    --continue-on-failure \
    --request-timeout 10 \
    --generation-database none \
    --report junit,ndjson --report-dir "$report_dir" \
    "$@" &
st_pid=$!
wait "$st_pid" || status=$?
st_pid=
echo "api-contract: schemathesis $SCHEMATHESIS_VERSION took $((SECONDS - started)) s, exit $status; reports in $report_dir" >&2
[[ $status -ne 124 ]] || echo "api-contract: schemathesis did not finish within 9 minutes" >&2

# If our token stopped working mid-run, everything after that point was a 401 and the
# results are not a contract verdict: say so loudly instead of reporting them as is.
if ! curl -fsS -o /dev/null -H "$auth" "$base/api/v1/me"; then
    echo "api-contract: the run's own token no longer works; results are unreliable" >&2
    [[ $status -ne 0 ]] || status=2
fi
if ! kill -0 "$server_pid" 2>/dev/null; then
    tail -n 50 "$work/serve.log" >&2
    echo "api-contract: bridge died during the run" >&2
    [[ $status -ne 0 ]] || status=2
fi
exit "$status"
