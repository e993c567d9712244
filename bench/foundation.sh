#!/usr/bin/env bash
# Foundation benchmark (issue: "Speed and size"): with the demo organisation on SQLite and a
# release build, measures with wrk on this machine:
#   - the authenticated API list of people (GET /api/v1/people), requests/s and p99
#   - the people page (GET /people, signed in), requests/s and p99
#   - the server's resident memory after the runs, and again after 16 sign-ins, 4 at a time
#     (each password check borrows 19 MiB; memory must come back afterwards)
#   - the time `serve` takes to be ready on an existing database
# Usage: bench/foundation.sh [seconds per run, default 10] [connections, default 64]
# Needs: wrk (apt-get install -y wrk), curl.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/sign_in.sh
DURATION=${1:-10}
CONNECTIONS=${2:-64}
PORT=${BRIDGE_BENCH_PORT:-18080}
WORK=$(mktemp -d)
DB="sqlite://$WORK/bench.db"
BIN=target/release/bridge
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk"; exit 1; }
cargo build --release --quiet

export BRIDGE_LOG=warn
$BIN demo --database "$DB" >/dev/null
TOKEN=$($BIN token create --email nkechi.adeyemi@alderbrook.example --name bench --database "$DB")

# Time to ready on the existing database: from start until /readyz answers.
start_ns=$(date +%s%N)
$BIN serve --database "$DB" --listen "127.0.0.1:$PORT" >/dev/null 2>&1 &
SERVER=$!
until curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do sleep 0.01; done
ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))

# Sign in as a browser would, to get a session cookie for the page.
SESSION=$(sign_in "http://127.0.0.1:$PORT" "$WORK/cookies")

run() {
    local name=$1 path=$2 header=$3
    # A short warm-up, then the measured run.
    wrk -t2 -c"$CONNECTIONS" -d2s -H "$header" "http://127.0.0.1:$PORT$path" >/dev/null
    local out
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$header" "http://127.0.0.1:$PORT$path")
    local rps p99 non2xx
    rps=$(printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}')
    p99=$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}')
    non2xx=$(printf '%s\n' "$out" | awk '/Non-2xx/ {print $5}')
    printf '%-28s %10s req/s   p99 %-8s %s\n' "$name" "$rps" "$p99" "${non2xx:+non-2xx: $non2xx}"
}

echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s, demo organisation on SQLite, release build"
run "GET /api/v1/people" "/api/v1/people" "Authorization: Bearer $TOKEN"
run "GET /people (signed in)" "/people" "Cookie: bridge_session=$SESSION"
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")
hwm_kb=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
echo "resident memory: $((rss_kb / 1024)) MB now, $((hwm_kb / 1024)) MB peak"
for round in 1 2 3 4; do
    pids=()
    for n in 1 2 3 4; do sign_in "http://127.0.0.1:$PORT" "$WORK/cookies-$round-$n" >/dev/null & pids+=($!); done
    wait "${pids[@]}"
done
sleep 1
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")
echo "resident memory after 16 more sign-ins (4 at a time): $((rss_kb / 1024)) MB"
echo "serve ready on an existing database in ${ready_ms} ms (process start to /readyz answering)"
