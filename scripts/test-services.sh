#!/usr/bin/env bash
# Starts the real services the tests talk to, for scripts/test.sh and .ci/run; source it.
#   - PostgreSQL 15 when it is installed here (started, password set) and BRIDGE_TEST_POSTGRES_URL
#     is not given: the tests then run on SQLite and again on PostgreSQL;
#   - an SMTP server (aiosmtpd from PyPI, in a virtualenv under target/) that keeps every message
#     it receives in a maildir the mail tests read;
#   - an OpenID provider (oidc-provider from npm, scripts/oidc-provider) for the single sign-on
#     tests, installing Node.js from Debian first when it is missing and this runs as root.
# Exports BRIDGE_TEST_POSTGRES_URL, BRIDGE_TEST_SMTP_URL, BRIDGE_TEST_MAILDIR and
# BRIDGE_TEST_OIDC_ISSUER; stop_test_services stops what it started.

TEST_SERVICE_PIDS=()

# A TCP port nothing listens on now.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_test_postgres() {
    if [ -n "${BRIDGE_TEST_POSTGRES_URL:-}" ]; then return; fi
    if ! command -v pg_lsclusters >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
        echo "test services: no PostgreSQL here (or not root); the tests run on SQLite only"
        return
    fi
    local version
    version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
    [ -n "$version" ] || return
    pg_ctlcluster "$version" main start 2>/dev/null || true
    for _ in $(seq 1 30); do
        if su postgres -c "psql -qAt -c 'select 1'" >/dev/null 2>&1; then break; fi
        sleep 1
    done
    su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres';\""
    export BRIDGE_TEST_POSTGRES_URL="postgres://postgres:postgres@127.0.0.1:5432/postgres"
}

start_test_smtp() {
    local venv=${CARGO_TARGET_DIR:-target}/test-venv
    if [ ! -x "$venv/bin/aiosmtpd" ]; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q "aiosmtpd==1.4.6"
    fi
    local port
    port=$(free_port)
    export BRIDGE_TEST_MAILDIR
    BRIDGE_TEST_MAILDIR=$(mktemp -d)/maildir
    "$venv/bin/python" -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$BRIDGE_TEST_MAILDIR" &
    TEST_SERVICE_PIDS+=($!)
    for _ in $(seq 1 100); do
        if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; then break; fi
        sleep 0.1
    done
    export BRIDGE_TEST_SMTP_URL="smtp://127.0.0.1:$port?tls=none"
}

start_test_oidc() {
    local dir
    dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/oidc-provider
    if ! command -v node >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    fi
    if ! command -v node >/dev/null 2>&1; then
        echo "test services: no Node.js here; the single sign-on tests cannot run" >&2
        return 1
    fi
    if [ ! -d "$dir/node_modules/oidc-provider" ]; then
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
    local port
    port=$(free_port)
    (cd "$dir" && PORT=$port exec node server.js >"${TMPDIR:-/tmp}/bridge-test-oidc.log" 2>&1) &
    TEST_SERVICE_PIDS+=($!)
    for _ in $(seq 1 100); do
        if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/.well-known/openid-configuration', timeout=1)" 2>/dev/null; then break; fi
        sleep 0.1
    done
    export BRIDGE_TEST_OIDC_ISSUER="http://127.0.0.1:$port"
}

stop_test_services() {
    for pid in "${TEST_SERVICE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}

start_test_postgres
start_test_smtp
start_test_oidc
