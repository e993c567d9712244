#!/usr/bin/env bash
# The test command: starts the real services the tests need (scripts/test-services.sh), runs every
# test (SQLite, and PostgreSQL when available), and stops the services. Extra arguments go to
# `cargo test` (e.g. scripts/test.sh --test it mail).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/test-services.sh
source scripts/test-services.sh
trap stop_test_services EXIT
cargo test --workspace "$@"
