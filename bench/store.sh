#!/usr/bin/env bash
# Store benchmark (issue: "Speed of the store"): a list of 50 requests and a create through the API
# at 64 clients, on SQLite and on PostgreSQL, each beside /healthz measured in the same run, with
# the server's memory (PSS) under load and its time to ready.
#   targets: list >= 5,000 req/s and p99 < 30 ms; create >= 2,500 req/s; PSS < 60 MB; ready < 1 s
# Usage: bench/store.sh [seconds per run, default 15] [connections, default 64]
# PostgreSQL runs when BRIDGE_BENCH_POSTGRES_URL names a server whose user may create databases
# (e.g. postgres://postgres:postgres@127.0.0.1:5432/postgres); a database is made and dropped.
# Needs: wrk (apt-get install -y wrk), curl, psql for PostgreSQL. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
CONNECTIONS=${2:-64}
PORT=${BRIDGE_BENCH_PORT:-18082}
WORK=$(mktemp -d)
BIN=${CARGO_TARGET_DIR:-target}/release/bridge
SERVER=
PG_DB=
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
    [ -n "$PG_DB" ] && psql -q "$BRIDGE_BENCH_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk"; exit 1; }
cargo build --release --quiet
export BRIDGE_LOG=warn

# The body wrk posts for each create: a small, valid draft.
cat >"$WORK/create.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"title": "Faster tills at peak", "problem": "Tills freeze at peak hours in three stores."}'
EOF

# wrk_run NAME PATH [extra wrk args...]: prints req/s, p50, p99 and any non-2xx count.
wrk_run() {
    local name=$1 path=$2
    shift 2
    wrk -t2 -c"$CONNECTIONS" -d2s "$@" "http://127.0.0.1:$PORT$path" >/dev/null
    local out
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "http://127.0.0.1:$PORT$path")
    printf '%s\n' "$out" | awk -v name="$name" '
        /Requests\/sec/ {rps = $2}
        $1 == "50%" {p50 = $2}
        $1 == "99%" {p99 = $2}
        /Non-2xx/ {bad = "  non-2xx: " $5}
        END {printf "  %-34s %10s req/s   p50 %-9s p99 %-9s%s\n", name, rps, p50, p99, bad}'
}

pss_mb() {
    awk '/^Pss:/ {print int($2 / 1024)}' "/proc/$SERVER/smaps_rollup"
}

bench_one() {
    local label=$1 db=$2
    "$BIN" demo --database "$db" --requests 1000 >/dev/null
    local token
    token=$("$BIN" token create --email nkechi.adeyemi@alderbrook.example --name bench --database "$db")
    local start_ns
    start_ns=$(date +%s%N)
    "$BIN" serve --database "$db" --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
    SERVER=$!
    until curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do sleep 0.01; done
    local ready_ms=$((($(date +%s%N) - start_ns) / 1000000))
    local auth="Authorization: Bearer $token"
    echo "$label: wrk -t2 -c$CONNECTIONS -d${DURATION}s, 1,040 requests, release build; ready in ${ready_ms} ms"
    wrk_run "GET /healthz" "/healthz"
    wrk_run "GET /api/v1/requests?per_page=50" "/api/v1/requests?per_page=50" -H "$auth"
    echo "    memory under the list load: $(pss_mb) MB PSS"
    wrk_run "POST /api/v1/requests (create)" "/api/v1/requests" -H "$auth" -s "$WORK/create.lua"
    echo "    memory after the writes: $(pss_mb) MB PSS"
    kill "$SERVER"
    wait "$SERVER" 2>/dev/null || true
    SERVER=
}

bench_one "SQLite" "sqlite://$WORK/bench.db"
if [ -n "${BRIDGE_BENCH_POSTGRES_URL:-}" ]; then
    PG_DB="bridge_bench_$$"
    psql -q "$BRIDGE_BENCH_POSTGRES_URL" -c "CREATE DATABASE $PG_DB"
    bench_one "PostgreSQL" "${BRIDGE_BENCH_POSTGRES_URL%/*}/$PG_DB"
else
    echo "PostgreSQL: skipped (set BRIDGE_BENCH_POSTGRES_URL)"
fi
