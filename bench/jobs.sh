#!/usr/bin/env bash
# Background jobs benchmark (issue: "Platform services"): 100,000 queued no-op jobs drained by the
# worker of one server on SQLite, and of one and then two servers on PostgreSQL, as jobs/s; and
# what adding one job costs the request that adds it (p50/p99 of single enqueues).
#   targets: >= 2,000 jobs/s on SQLite; two servers faster than one on PostgreSQL; enqueue p50 < 1 ms
# Usage: bench/jobs.sh [jobs, default 100000]
# PostgreSQL runs when BRIDGE_BENCH_POSTGRES_URL names a server whose user may create databases.
# Needs: curl, psql for PostgreSQL. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-100000}
WORK=$(mktemp -d)
BIN=${CARGO_TARGET_DIR:-target}/release/bridge
SERVERS=()
PG_DB=
cleanup() {
    for pid in "${SERVERS[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -n "$PG_DB" ] && psql -q "$BRIDGE_BENCH_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
cargo build --release --quiet
export BRIDGE_LOG=warn

queued() { "$BIN" jobs status --database "$1" | awk '{print $2 + $6}'; }

# drain DB SERVERS: starts that many servers, waits until the queue is empty, prints jobs/s.
drain() {
    local db=$1 count=$2 port=18190
    "$BIN" jobs add-noop --count "$JOBS" --database "$db" >/dev/null
    local start_ns
    start_ns=$(date +%s%N)
    SERVERS=()
    for i in $(seq 1 "$count"); do
        "$BIN" serve --database "$db" --listen "127.0.0.1:$((port + i))" >"$WORK/serve$i.log" 2>&1 &
        SERVERS+=($!)
    done
    while [ "$(queued "$db")" != "0" ]; do sleep 0.2; done
    local ms=$((($(date +%s%N) - start_ns) / 1000000))
    for pid in "${SERVERS[@]}"; do kill "$pid"; wait "$pid" 2>/dev/null || true; done
    SERVERS=()
    echo "  $count server(s): $JOBS jobs in $ms ms = $((JOBS * 1000 / ms)) jobs/s (from start-up)"
}

echo "SQLite:"
"$BIN" demo --database "sqlite://$WORK/jobs.db" >/dev/null
drain "sqlite://$WORK/jobs.db" 1
echo "  enqueue: $("$BIN" jobs add-noop --count 2000 --timed --database "sqlite://$WORK/jobs.db")"
if [ -n "${BRIDGE_BENCH_POSTGRES_URL:-}" ]; then
    PG_DB="bridge_jobs_$$"
    psql -q "$BRIDGE_BENCH_POSTGRES_URL" -c "CREATE DATABASE $PG_DB"
    pg="${BRIDGE_BENCH_POSTGRES_URL%/*}/$PG_DB"
    echo "PostgreSQL:"
    "$BIN" demo --database "$pg" >/dev/null
    drain "$pg" 1
    drain "$pg" 2
    echo "  enqueue: $("$BIN" jobs add-noop --count 2000 --timed --database "$pg")"
else
    echo "PostgreSQL: skipped (set BRIDGE_BENCH_POSTGRES_URL)"
fi
