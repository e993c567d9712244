#!/usr/bin/env bash
# Learning benchmark (issue: "Speed"): generates EVENTS events over five years with PER_EVENT
# registrations each among 5,000 people (20,000 x 50 = a million) with a release build, then
# measures with wrk under 16 concurrent clients:
#   - the events list (GET /events; target p50 < 20 ms)
#   - an event's page (GET /events/ID; target p50 < 20 ms)
#   - a personal calendar feed of 500 events (GET /calendar/CODE; target < 20 ms)
#   - the radar page with 500 entries and 5,000 moves (GET /radar; target < 30 ms)
#   - registering (POST /api/v1/events/ID/registration, a different event each time; target
#     p99 < 10 ms)
# SQLite always; PostgreSQL too when BRIDGE_BENCH_POSTGRES_URL names a server whose user may
# create databases.
# Usage: bench/learning.sh [events, default 20000] [registrations per event, default 50]
#        [seconds per run, default 10] [connections, default 16]
# Needs: wrk (apt-get install -y wrk), curl, python3, psql for PostgreSQL. Honours
# CARGO_TARGET_DIR; BRIDGE_BENCH_NO_BUILD=1 measures the release binary as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/sign_in.sh
source bench/wrk.sh
EVENTS=${1:-20000}
PER_EVENT=${2:-50}
DURATION=${3:-10}
CONNECTIONS=${4:-16}
PORT=${BRIDGE_BENCH_PORT:-18084}
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
    echo "$name: generating 5,000 people and $EVENTS events with $PER_EVENT registrations each…"
    $BIN demo --database "$db" --touchpoints 1 >/dev/null
    $BIN demo --database "$db" --events "$EVENTS" --registrations-per-event "$PER_EVENT" \
        --radar-entries 500 --radar-moves 5000 | tail -2
    eval "$analyze"
    TOKEN=$($BIN token create --email joanna.wisniewska@alderbrook.example --name bench --database "$db")
    $BIN serve --database "$db" --listen "127.0.0.1:$PORT" --no-worker >/dev/null 2>&1 &
    SERVER=$!
    until curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do sleep 0.05; done
    local session cookie bearer event feed
    session=$(sign_in "http://127.0.0.1:$PORT" "$WORK/cookies")
    cookie="Cookie: bridge_session=$session"
    bearer="Authorization: Bearer $TOKEN"
    event=$(curl -fs -H "$bearer" "http://127.0.0.1:$PORT/api/v1/events?per_page=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
    feed=$(curl -fs -H "$bearer" "http://127.0.0.1:$PORT/api/v1/calendar" | python3 -c 'import json,sys; u=json.load(sys.stdin)["url"]; print(u[u.index("/calendar/"):])')
    echo "  the feed holds $(curl -fs "http://127.0.0.1:$PORT$feed" | grep -c '^BEGIN:VEVENT') entries"
    echo "  wrk -t2 -c$CONNECTIONS -d${DURATION}s --latency, release build"
    run "page  /events (the events to come)" "/events" "$cookie"
    run "page  /events/$event (an event's page)" "/events/$event" "$cookie"
    run "feed  /calendar/… (Joanna's calendar)" "$feed" "X-Bench: feed"
    run "page  /radar (500 entries, 5,000 moves)" "/radar" "$cookie"
    # Registering: Joanna asks for a place at a different event to come each time.
    local ids
    ids=$(curl -fs -H "$bearer" "http://127.0.0.1:$PORT/api/v1/events?per_page=200&page=3" | python3 -c '
import json, sys
print(",".join(str(e["id"]) for e in json.load(sys.stdin)["items"] if e["your_place"] is None))')
    for page in $(seq 4 60); do
        ids="$ids,$(curl -fs -H "$bearer" "http://127.0.0.1:$PORT/api/v1/events?per_page=200&page=$page" | python3 -c '
import json, sys
print(",".join(str(e["id"]) for e in json.load(sys.stdin)["items"] if e["your_place"] is None))')"
    done
    cat > "$WORK/register.lua" <<LUA
local ids = {$(printf '%s' "$ids" | sed 's/,,*/,/g; s/^,//; s/,$//')}
local next = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
    next = next + 1
    return wrk.format(nil, "/api/v1/events/" .. ids[(next % #ids) + 1] .. "/registration", nil, "{}")
end
LUA
    local out
    out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/register.lua" -H "$bearer" "http://127.0.0.1:$PORT")
    printf '  %-62s %9s req/s  p50 %-9s p99 %-9s %s\n' "api   POST /events/…/registration (registering)" \
        "$(printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}')" \
        "$(printf '%s\n' "$out" | awk '$1 == "50%" {print $2}')" \
        "$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}')" \
        "$(printf '%s\n' "$out" | awk '/Non-2xx/ {print "non-2xx (registered already): " $5}')"
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
    PG_DB="bridge_learning_$$"
    psql -q "$BRIDGE_BENCH_POSTGRES_URL" -c "CREATE DATABASE $PG_DB"
    pg="${BRIDGE_BENCH_POSTGRES_URL%/*}/$PG_DB"
    measure PostgreSQL "$pg" "psql -q '$pg' -c 'VACUUM ANALYZE;' -c 'CHECKPOINT;'"
else
    echo "PostgreSQL: skipped (set BRIDGE_BENCH_POSTGRES_URL)"
fi
