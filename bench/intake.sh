#!/usr/bin/env bash
# Intake benchmark (issue: "Speed"): generates N requests (default 100,000) with a release build,
# refreshes the planner's statistics (as a real database's autovacuum would), then measures with
# wrk under 16 concurrent clients:
#   - the filtered, sorted queue page (GET /requests?status=…&unit_id=…&sort=priority, signed in)
#   - the API list, filtered and sorted (GET /api/v1/requests?…)
#   - full-text search, page and API (q=…), and a misspelt search that is corrected (q=kajak…)
#   - the header search across requests, glossary terms and people (GET /search?q=…)
# and prints p50 and p99 for each (targets: lists p50 < 25 ms, p99 < 60 ms; search p50 < 25 ms,
# p99 < 60 ms; header search p50 < 30 ms), plus how long generating the requests and re-scoring
# them all after a weight change take. SQLite always; PostgreSQL too when
# BRIDGE_BENCH_POSTGRES_URL names a server whose user may create databases.
# Usage: bench/intake.sh [requests, default 100000] [seconds per run, default 10] [connections, default 16]
# Needs: wrk (apt-get install -y wrk), curl, psql for PostgreSQL. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/sign_in.sh
source bench/wrk.sh
REQUESTS=${1:-100000}
DURATION=${2:-10}
CONNECTIONS=${3:-16}
PORT=${BRIDGE_BENCH_PORT:-18081}
WORK=$(mktemp -d)
BIN=${CARGO_TARGET_DIR:-target}/release/bridge
SERVER=
PG_DB=
cleanup() {
    [ -n "$SERVER" ] && kill $SERVER 2>/dev/null || true
    [ -n "$PG_DB" ] && psql -q "$BRIDGE_BENCH_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk"; exit 1; }
cargo build --release --quiet
export BRIDGE_LOG=warn


# measure NAME DATABASE_URL ANALYZE_COMMAND: generates, refreshes statistics, serves, measures.
measure() {
    local name=$1 db=$2 analyze=$3
    echo "$name: generating $REQUESTS requests…"
    local start_ns
    start_ns=$(date +%s%N)
    $BIN demo --database "$db" --requests "$REQUESTS" | tail -1
    echo "  generated in $((($(date +%s%N) - start_ns) / 1000000)) ms"
    eval "$analyze"
    TOKEN=$($BIN token create --email nkechi.adeyemi@alderbrook.example --name bench --database "$db")
    $BIN serve --database "$db" --listen "127.0.0.1:$PORT" >/dev/null 2>&1 &
    SERVER=$!
    until curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do sleep 0.05; done
    local session cookie bearer
    session=$(sign_in "http://127.0.0.1:$PORT" "$WORK/cookies")
    cookie="Cookie: bridge_session=$session"
    bearer="Authorization: Bearer $TOKEN"

    echo "  wrk -t2 -c$CONNECTIONS -d${DURATION}s --latency, $REQUESTS generated requests + demo data, release build"
    run "page  /requests?status=submitted&unit_id=3&sort=priority" "/requests?status=submitted&unit_id=3&sort=priority" "$cookie"
    run "page  /requests (the open queue, by priority)" "/requests" "$cookie"
    run "page  /requests?min_clarity=50&sort=clarity&page=3" "/requests?min_clarity=50&sort=clarity&page=3" "$cookie"
    run "api   /requests?status=in_assessment&sort=priority&per_page=50" "/api/v1/requests?status=in_assessment&sort=priority&per_page=50" "$bearer"
    run "api   /requests?unit_id=2&sort=newest&page=4" "/api/v1/requests?unit_id=2&sort=newest&page=4" "$bearer"
    run "search page /requests?q=kayak+bookings" "/requests?q=kayak+bookings" "$cookie"
    run "search api  /requests?q=returns&status=submitted" "/api/v1/requests?q=returns&status=submitted" "$bearer"
    run "misspelt search page /requests?q=kajak+bokings (corrected)" "/requests?q=kajak+bokings" "$cookie"
    run "header search /search?q=returns (requests, terms, people)" "/search?q=returns" "$cookie"

    local t
    t=$(curl -fs -o /dev/null -w '%{time_total}' -X PUT -H "$bearer" -H 'Content-Type: application/json' \
      -d '{"submit_threshold": 70, "weights": {"business_value": 2, "time_criticality": 1, "risk_reduction": 1, "job_size": 1}}' \
      "http://127.0.0.1:$PORT/api/v1/intake/settings")
    echo "  changing the priority weights (re-scores every request in one UPDATE): ${t}s"
    kill $SERVER
    wait $SERVER 2>/dev/null || true
    SERVER=
}

if command -v sqlite3 >/dev/null; then
    measure SQLite "sqlite://$WORK/bench.db" "sqlite3 '$WORK/bench.db' 'ANALYZE;'"
else
    measure SQLite "sqlite://$WORK/bench.db" "true"
fi
if [ -n "${BRIDGE_BENCH_POSTGRES_URL:-}" ]; then
    PG_DB="bridge_intake_$$"
    psql -q "$BRIDGE_BENCH_POSTGRES_URL" -c "CREATE DATABASE $PG_DB"
    pg="${BRIDGE_BENCH_POSTGRES_URL%/*}/$PG_DB"
    # VACUUM ANALYZE as autovacuum would; CHECKPOINT so the writes of generating are not flushed
    # while the measurements run.
    measure PostgreSQL "$pg" "psql -q '$pg' -c 'VACUUM ANALYZE;' -c 'CHECKPOINT;'"
else
    echo "PostgreSQL: skipped (set BRIDGE_BENCH_POSTGRES_URL)"
fi
