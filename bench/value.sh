#!/usr/bin/env bash
# Value benchmark (issue: "Speed"): generates REQUESTS requests (about four in ten become
# initiatives, so 25,000 give ~10,000), KPIS KPIs and MEASUREMENTS daily measurements between them
# with a release build, then measures with wrk under 16 concurrent clients:
#   - the portfolio page (GET /value), and filtered to one business unit (targets: p50 < 100 ms,
#     p99 < 250 ms)
#   - a KPI's chart page (GET /kpis/ID, two years of daily values; target: p50 < 30 ms)
#   - the initiatives API, a page of 50 (GET /api/v1/initiatives?status=on_track)
# and times, with curl:
#   - importing 1,000,000 measurements from CSV (POST /api/v1/measurements/import; target < 10 s)
#   - the bulk API taking 10,000 measurements in one call (POST /api/v1/kpis/ID/measurements;
#     target < 1 s)
# The pages must cost the same whatever the number of measurements: run it with 500000 and with
# 5000000 and compare. SQLite always; PostgreSQL too when BRIDGE_BENCH_POSTGRES_URL names a server
# whose user may create databases.
# Usage: bench/value.sh [measurements, default 5000000] [kpis, default 2000] [requests, default 25000]
#        [seconds per run, default 10] [connections, default 16]
# Needs: wrk (apt-get install -y wrk), curl, python3 (writes the files to import), psql for
# PostgreSQL. Honours CARGO_TARGET_DIR; BRIDGE_BENCH_NO_BUILD=1 measures the release binary as it
# is, without building it first.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/sign_in.sh
source bench/wrk.sh
MEASUREMENTS=${1:-5000000}
KPIS=${2:-2000}
REQUESTS=${3:-25000}
DURATION=${4:-10}
CONNECTIONS=${5:-16}
PORT=${BRIDGE_BENCH_PORT:-18082}
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

# The files to import: 1,000,000 rows over the first 500 KPIs (2,000 days each, before the
# generated history begins), and one call of 10,000 values for the last KPI, before that.
python3 - "$WORK" "$MEASUREMENTS" "$KPIS" <<'EOF'
import datetime, json, sys
work, measurements, kpis = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
history = measurements // kpis
today = datetime.date.today()
first = today - datetime.timedelta(days=history)
with open(f"{work}/import.csv", "w") as f:
    f.write("kpi,date,value,key\n")
    for k in range(500):
        for d in range(2000):
            day = first - datetime.timedelta(days=2000 - d)
            f.write(f"Generated KPI {k},{day.isoformat()},{1000 + d * 0.25:.2f},imp-{k}-{d}\n")
with open(f"{work}/bulk.json", "w") as f:
    start = first - datetime.timedelta(days=12500)
    items = [{"date": (start + datetime.timedelta(days=d)).isoformat(), "value": 900 + d % 50, "key": f"bulk-{d}"}
             for d in range(10000)]
    json.dump({"measurements": items}, f)
EOF


# measure NAME DATABASE_URL ANALYZE_COMMAND
measure() {
    local name=$1 db=$2 analyze=$3
    echo "$name: generating $REQUESTS requests, $KPIS KPIs and $MEASUREMENTS measurements…"
    local start_ns
    start_ns=$(date +%s%N)
    $BIN demo --database "$db" --requests "$REQUESTS" --kpis "$KPIS" --measurements "$MEASUREMENTS" | tail -2
    echo "  generated in $((($(date +%s%N) - start_ns) / 1000000)) ms"
    eval "$analyze"
    TOKEN=$($BIN token create --email nkechi.adeyemi@alderbrook.example --name bench --database "$db")
    $BIN serve --database "$db" --listen "127.0.0.1:$PORT" >/dev/null 2>&1 &
    SERVER=$!
    until curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do sleep 0.05; done
    local session cookie bearer kpi
    session=$(sign_in "http://127.0.0.1:$PORT" "$WORK/cookies")
    cookie="Cookie: bridge_session=$session"
    bearer="Authorization: Bearer $TOKEN"
    local first_ms last unit initiatives
    kpi=$(curl -fs -H "$bearer" "http://127.0.0.1:$PORT/api/v1/kpis" | python3 -c 'import json,sys; print([k["id"] for k in json.load(sys.stdin) if k["name"] == "Generated KPI 7"][0])')
    last=$(curl -fs -H "$bearer" "http://127.0.0.1:$PORT/api/v1/kpis" | python3 -c "import json,sys; print([k['id'] for k in json.load(sys.stdin) if k['name'] == 'Generated KPI $((KPIS - 1))'][0])")
    unit=$(curl -fs -H "$bearer" "http://127.0.0.1:$PORT/api/v1/units" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
    # The server's first read of the portfolio builds it.
    first_ms=$(curl -fs -o "$WORK/initiatives.json" -w '%{time_total}' -H "$bearer" "http://127.0.0.1:$PORT/api/v1/initiatives")
    initiatives=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"])' "$WORK/initiatives.json")
    echo "  $initiatives initiatives; the first read of the portfolio (builds it): ${first_ms}s"

    echo "  wrk -t2 -c$CONNECTIONS -d${DURATION}s --latency, release build"
    run "page  /value (the portfolio)" "/value" "$cookie"
    run "page  /value?unit=$unit&period=$(date +%Y)" "/value?unit=$unit&period=$(date +%Y)" "$cookie"
    run "page  /kpis/$kpi (chart of two years of daily values)" "/kpis/$kpi" "$cookie"
    run "api   /initiatives?status=on_track" "/api/v1/initiatives?status=on_track" "$bearer"

    local t
    t=$(curl -fs -o "$WORK/import.out" -w '%{time_total}' -X POST -H "$bearer" -H 'Content-Type: text/csv' \
      --data-binary "@$WORK/import.csv" "http://127.0.0.1:$PORT/api/v1/measurements/import")
    echo "  importing 1,000,000 measurements from CSV: ${t}s ($(cat "$WORK/import.out"))"
    t=$(curl -fs -o "$WORK/bulk.out" -w '%{time_total}' -X POST -H "$bearer" -H 'Content-Type: application/json' \
      --data-binary "@$WORK/bulk.json" "http://127.0.0.1:$PORT/api/v1/kpis/$last/measurements")
    echo "  bulk API, 10,000 measurements in one call: ${t}s ($(cat "$WORK/bulk.out"))"
    first_ms=$(curl -fs -o /dev/null -w '%{time_total}' -H "$cookie" "http://127.0.0.1:$PORT/value")
    echo "  the portfolio after the import (rebuilds it): ${first_ms}s"
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
    PG_DB="bridge_value_$$"
    psql -q "$BRIDGE_BENCH_POSTGRES_URL" -c "CREATE DATABASE $PG_DB"
    pg="${BRIDGE_BENCH_POSTGRES_URL%/*}/$PG_DB"
    measure PostgreSQL "$pg" "psql -q '$pg' -c 'VACUUM ANALYZE;' -c 'CHECKPOINT;'"
else
    echo "PostgreSQL: skipped (set BRIDGE_BENCH_POSTGRES_URL)"
fi
