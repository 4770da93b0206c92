#!/usr/bin/env bash
# The whole test suite: unit tests, then integration tests against real MySQL 5.5, 5.6, 5.7, 8.0 (8.0.15, 8.0.31),
# MariaDB 10.2 and 10.11 and Kafka, which the tests bring up through scripts/servers.sh (the Connect ITs also
# start the two-worker Connect cluster once sluice-connect is packaged).
# Servers this run started are stopped at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
was_running="$(scripts/servers.sh status 2>/dev/null | grep -c running || true)"
cleanup() { [[ "$was_running" != 0 ]] || scripts/servers.sh down all connect >/dev/null 2>&1 || true; }
trap cleanup EXIT
scripts/servers.sh up
mvn -B -ntp install "$@"
