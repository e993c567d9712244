# Sourced by the bench scripts: run NAME PATH HEADER measures GET PATH on the bench server
# (127.0.0.1:$PORT) with wrk, $CONNECTIONS clients for $DURATION seconds after a 2-second warm-up,
# and prints requests/s, p50 and p99 (and how many answers were not 2xx).
run() {
    local name=$1 path=$2 header=$3
    wrk -t2 -c"$CONNECTIONS" -d2s -H "$header" "http://127.0.0.1:$PORT$path" >/dev/null
    local out rps p50 p99 non2xx
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$header" "http://127.0.0.1:$PORT$path")
    rps=$(printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(printf '%s\n' "$out" | awk '$1 == "50%" {print $2}')
    p99=$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}')
    non2xx=$(printf '%s\n' "$out" | awk '/Non-2xx/ {print $5}')
    printf '  %-62s %9s req/s  p50 %-9s p99 %-9s %s\n' "$name" "$rps" "$p50" "$p99" "${non2xx:+non-2xx: $non2xx}"
}
