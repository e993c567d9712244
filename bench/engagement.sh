#!/usr/bin/env bash
# Engagement benchmark (issue: "Speed"): generates TOUCHPOINTS touchpoints over five years between
# 60 business units, 40 IT teams and 5,000 people with a release build, then measures with wrk
# under 16 concurrent clients:
#   - the relationship map page (GET /engagement/map; target p50 < 50 ms)
#   - a unit's page (GET /engagement/units/ID; target < 30 ms)
#   - the losing-touch list (GET /api/v1/engagement/losing-touch; target < 20 ms)
#   - logging a touchpoint (POST /api/v1/touchpoints; target p99 < 10 ms)
# The pages must cost the same whatever the number of touchpoints: run it with 200000 and with
# 2000000 and compare. SQLite always; PostgreSQL too when BRIDGE_BENCH_POSTGRES_URL names a
# server whose user may create databases.
# Usage: bench/engagement.sh [touchpoints, default 2000000] [seconds per run, default 10]
#        [connections, default 16]
# Needs: wrk (apt-get install -y wrk), curl, python3, psql for PostgreSQL. Honours
# CARGO_TARGET_DIR; BRIDGE_BENCH_NO_BUILD=1 measures the release binary as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/sign_in.sh
source bench/wrk.sh
TOUCHPOINTS=${1:-2000000}
DURATION=${2:-10}
CONNECTIONS=${3:-16}
PORT=${BRIDGE_BENCH_PORT:-18083}
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
[ -n "${BRIDGE_BENCH_NO_BUILD:-}" ] || cargo build --release --quiet
export BRIDGE_LOG=warn

# measure NAME DATABASE_URL ANALYZE_COMMAND
measure() {
    local name=$1 db=$2 analyze=$3
    echo "$name: generating $TOUCHPOINTS touchpoints…"
    $BIN demo --database "$db" --touchpoints "$TOUCHPOINTS" | tail -1
    eval "$analyze"
    TOKEN=$($BIN token create --email joanna.wisniewska@alderbrook.example --name bench --database "$db")
    $BIN serve --database "$db" --listen "127.0.0.1:$PORT" --no-worker >/dev/null 2>&1 &
    SERVER=$!
    until curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do sleep 0.05; done
    local session cookie bearer unit
    session=$(sign_in "http://127.0.0.1:$PORT" "$WORK/cookies")
    cookie="Cookie: bridge_session=$session"
    bearer="Authorization: Bearer $TOKEN"
    unit=$(curl -fs -H "$bearer" "http://127.0.0.1:$PORT/api/v1/units" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
    echo "  wrk -t2 -c$CONNECTIONS -d${DURATION}s --latency, release build"
    run "page  /engagement/map (the relationship map)" "/engagement/map" "$cookie"
    run "page  /engagement/units/$unit (a unit's page)" "/engagement/units/$unit" "$cookie"
    run "api   /engagement/losing-touch" "/api/v1/engagement/losing-touch" "$bearer"
    run "api   /engagement/stats (company-wide figures)" "/api/v1/engagement/stats" "$bearer"
    # Sixteen people logging at once log different meetings: each request names one of 100
    # business people and one of 100 IT people, at random.
    local business it
    business=$(curl -fs -H "$bearer" "http://127.0.0.1:$PORT/api/v1/people?side=business&per_page=100" | python3 -c 'import json,sys; print(",".join(str(p["id"]) for p in json.load(sys.stdin)["items"]))')
    it=$(curl -fs -H "$bearer" "http://127.0.0.1:$PORT/api/v1/people?side=it&per_page=100" | python3 -c 'import json,sys; print(",".join(str(p["id"]) for p in json.load(sys.stdin)["items"]))')
    cat > "$WORK/log.lua" <<LUA
local business = {$business}
local it = {$it}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
    local body = string.format('{"kind": "chat", "date": "$(date +%Y-%m-%d)", "people": [%d, %d], "note": "Benchmark"}',
        business[math.random(#business)], it[math.random(#it)])
    return wrk.format(nil, nil, nil, body)
end
LUA
    local out
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/log.lua" -H "$bearer" "http://127.0.0.1:$PORT/api/v1/touchpoints")
    printf '  %-62s %9s req/s  p50 %-9s p99 %-9s %s\n' "api   POST /touchpoints (logging one)" \
        "$(printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}')" \
        "$(printf '%s\n' "$out" | awk '$1 == "50%" {print $2}')" \
        "$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}')" \
        "$(printf '%s\n' "$out" | awk '/Non-2xx/ {print "non-2xx: " $5}')"
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
    PG_DB="bridge_engagement_$$"
    psql -q "$BRIDGE_BENCH_POSTGRES_URL" -c "CREATE DATABASE $PG_DB"
    pg="${BRIDGE_BENCH_POSTGRES_URL%/*}/$PG_DB"
    measure PostgreSQL "$pg" "psql -q '$pg' -c 'VACUUM ANALYZE;' -c 'CHECKPOINT;'"
else
    echo "PostgreSQL: skipped (set BRIDGE_BENCH_POSTGRES_URL)"
fi
